/** Content types of the files a workspace site serves, by extension (lower case, no dot). */
const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  htm: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  cjs: 'text/javascript; charset=utf-8',
  jsx: 'text/javascript; charset=utf-8',
  ts: 'text/javascript; charset=utf-8',
  tsx: 'text/javascript; charset=utf-8',
  mts: 'text/javascript; charset=utf-8',
  json: 'application/json; charset=utf-8',
  map: 'application/json; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  ico: 'image/x-icon',
  bmp: 'image/bmp',
  woff: 'font/woff',
  woff2: 'font/woff2',
  ttf: 'font/ttf',
  otf: 'font/otf',
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  ogg: 'audio/ogg',
  mp4: 'video/mp4',
  webm: 'video/webm',
  wasm: 'application/wasm',
  pdf: 'application/pdf',
};

export function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

export function mimeOf(path: string): string {
  return TYPES[extensionOf(path)] ?? 'application/octet-stream';
}

/** Source the preview turns into JavaScript modules. */
const MODULE_EXTENSIONS = ['ts', 'tsx', 'mts', 'jsx', 'js', 'mjs'] as const;

export function isModuleSource(path: string): boolean {
  return (MODULE_EXTENSIONS as readonly string[]).includes(extensionOf(path));
}

/** Files whose change the preview shows: anything a page may load (not notes, not data of other tools). */
export function isWebFile(path: string): boolean {
  const ext = extensionOf(path);
  return ext in TYPES && ext !== 'md';
}
