/**
 * Monaco, its workers and the two widgets built on it (the file editor and the read-only
 * diff). This module is only ever imported dynamically (see load.ts), so none of Monaco is
 * in the first bundle. It takes the editor core, its contributions, every language's
 * grammar (each loads on first use) and the JSON/CSS/HTML/TypeScript language services —
 * all of `monaco-editor` except its LSP client.
 */
import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/features/register.all';
import 'monaco-editor/languages/register.all';
import { typescript } from 'monaco-editor/languages/features/register.all';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import CssWorker from 'monaco-editor/languages/features/css/css.worker?worker';
import HtmlWorker from 'monaco-editor/languages/features/html/html.worker?worker';
import JsonWorker from 'monaco-editor/languages/features/json/json.worker?worker';
import TsWorker from 'monaco-editor/languages/features/typescript/ts.worker?worker';
import { WORKSPACE_COMPILER_OPTIONS, WORKSPACE_DIAGNOSTICS } from './monaco-options';

self.MonacoEnvironment = {
  getWorker(_id: string, label: string): Worker {
    switch (label) {
      case 'json':
        return new JsonWorker();
      case 'css':
      case 'scss':
      case 'less':
        return new CssWorker();
      case 'html':
      case 'handlebars':
      case 'razor':
        return new HtmlWorker();
      case 'typescript':
      case 'javascript':
        return new TsWorker();
      default:
        return new EditorWorker();
    }
  },
};

for (const defaults of [typescript.typescriptDefaults, typescript.javascriptDefaults]) {
  defaults.setDiagnosticsOptions(WORKSPACE_DIAGNOSTICS);
  defaults.setCompilerOptions(WORKSPACE_COMPILER_OPTIONS);
}

// One theme for every editor on the page, following the system scheme as it changes.
const dark = window.matchMedia('(prefers-color-scheme: dark)');
const applyTheme = () => monaco.editor.setTheme(dark.matches ? 'vs-dark' : 'vs');
dark.addEventListener('change', applyTheme);
applyTheme();

const FONT = "ui-monospace, 'SFMono-Regular', Menlo, Consolas, 'DejaVu Sans Mono', 'Liberation Mono', monospace";
const COMMON: monaco.editor.IEditorOptions = {
  automaticLayout: true,
  fontFamily: FONT,
  fontSize: 13,
  minimap: { enabled: false },
  scrollBeyondLastLine: false,
  fixedOverflowWidgets: true,
};

export interface EditorDocument {
  /** Absolute path: the model's identity. */
  path: string;
  text: string;
  language: string;
}

export interface EditorEvents {
  /** The user changed the shown document; `text` is its whole new content. */
  onEdit(path: string, text: string): void;
  /** Ctrl/Cmd+S in the editor. */
  onSave(path: string): void;
}

/** One editor, one model per open file; switching files keeps each file's view state. */
export interface EditorHost {
  /** Shows a document, creating its model on first show; a model whose text differs is synced. */
  show(document: EditorDocument): void;
  /** Shows nothing (no text file is active). */
  hide(): void;
  /** Replaces a model's text when it differs, as one undoable edit; the cursor stays put. */
  sync(path: string, text: string): void;
  /** Disposes the models of documents not in `paths` (closed tabs). */
  retain(paths: Iterable<string>): void;
  focus(): void;
  dispose(): void;
}

export function createEditorHost(element: HTMLElement, events: EditorEvents): EditorHost {
  const editor = monaco.editor.create(element, { ...COMMON, model: null, ariaLabel: 'Editor' });
  const models = new Map<string, monaco.editor.ITextModel>();
  const viewStates = new Map<string, monaco.editor.ICodeEditorViewState | null>();
  const subscriptions = new Map<string, monaco.IDisposable>();
  let shown: string | null = null;
  let applying = false;

  editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS, () => {
    if (shown) events.onSave(shown);
  });

  const modelFor = (document: EditorDocument): monaco.editor.ITextModel => {
    const existing = models.get(document.path);
    if (existing) return existing;
    const uri = monaco.Uri.file(document.path);
    // A model left behind under this URI (by an earlier host) would make createModel throw.
    monaco.editor.getModel(uri)?.dispose();
    const model = monaco.editor.createModel(document.text, document.language, uri);
    models.set(document.path, model);
    subscriptions.set(
      document.path,
      model.onDidChangeContent(() => {
        if (!applying) events.onEdit(document.path, model.getValue());
      }),
    );
    return model;
  };

  const sync = (path: string, text: string) => {
    const model = models.get(path);
    if (!model || model.getValue() === text) return;
    const view = shown === path ? editor.saveViewState() : null;
    applying = true;
    try {
      model.pushEditOperations([], [{ range: model.getFullModelRange(), text }], () => null);
    } finally {
      applying = false;
    }
    if (view) editor.restoreViewState(view);
  };

  const remember = () => {
    if (shown && models.has(shown)) viewStates.set(shown, editor.saveViewState());
  };

  return {
    show(document) {
      if (shown === document.path && editor.getModel()) return sync(document.path, document.text);
      remember();
      const model = modelFor(document);
      sync(document.path, document.text);
      editor.setModel(model);
      const view = viewStates.get(document.path);
      if (view) editor.restoreViewState(view);
      shown = document.path;
    },
    hide() {
      remember();
      editor.setModel(null);
      shown = null;
    },
    sync,
    retain(paths) {
      const keep = new Set(paths);
      for (const [path, model] of models) {
        if (keep.has(path)) continue;
        if (shown === path) {
          editor.setModel(null);
          shown = null;
        }
        subscriptions.get(path)?.dispose();
        subscriptions.delete(path);
        model.dispose();
        models.delete(path);
        viewStates.delete(path);
      }
    },
    focus: () => editor.focus(),
    dispose() {
      editor.dispose();
      for (const subscription of subscriptions.values()) subscription.dispose();
      for (const model of models.values()) model.dispose();
      models.clear();
    },
  };
}

export interface DiffDocument {
  path: string;
  before: string;
  after: string;
  language: string;
}

export interface DiffHost {
  update(document: DiffDocument): void;
  dispose(): void;
}

let diffCount = 0;

/**
 * A read-only view of how one file changed: two texts side by side, or, for a file that was
 * created or deleted, its one text with every line marked added or removed. Monaco's diff
 * pairs the empty side's single empty line with the change, so a created file would show a
 * phantom removed line (and a deleted one a phantom added line).
 */
export function createDiffHost(element: HTMLElement, document: DiffDocument): DiffHost {
  let current: { kind: WholeFile | 'diff'; host: DiffHost } | null = null;
  const update = (next: DiffDocument) => {
    const kind = wholeFile(next) ?? 'diff';
    if (current?.kind === kind) return current.host.update(next);
    current?.host.dispose();
    current = { kind, host: kind === 'diff' ? createSideBySide(element, next) : createWholeFile(element, next, kind) };
  };
  update(document);
  return {
    update,
    dispose() {
      current?.host.dispose();
      current = null;
    },
  };
}

type WholeFile = 'added' | 'removed';

function wholeFile(document: DiffDocument): WholeFile | null {
  if (document.before === '' && document.after !== '') return 'added';
  if (document.after === '' && document.before !== '') return 'removed';
  return null;
}

const WHOLE_FILE_DECORATION: Record<WholeFile, monaco.editor.IModelDecorationOptions> = {
  added: {
    isWholeLine: true,
    className: 'line-insert',
    marginClassName: 'gutter-insert',
    linesDecorationsClassName: 'insert-sign codicon codicon-diff-insert',
  },
  removed: {
    isWholeLine: true,
    className: 'line-delete',
    marginClassName: 'gutter-delete',
    linesDecorationsClassName: 'delete-sign codicon codicon-diff-remove',
  },
};

/** A created (or deleted) file: its text, every line marked as added (or removed). */
function createWholeFile(element: HTMLElement, document: DiffDocument, kind: WholeFile): DiffHost {
  const label = (path: string) => `Changes to ${path} (${kind === 'added' ? 'new file' : 'deleted file'})`;
  const editor = monaco.editor.create(element, { ...COMMON, model: null, readOnly: true, ariaLabel: label(document.path) });
  const marks = editor.createDecorationsCollection();
  let model: monaco.editor.ITextModel | null = null;
  const update = (next: DiffDocument) => {
    const text = kind === 'added' ? next.after : next.before;
    const uri = monaco.Uri.from({ scheme: 'diff', path: next.path, query: kind, fragment: String(++diffCount) });
    const fresh = monaco.editor.createModel(text, next.language, uri);
    editor.setModel(fresh);
    editor.updateOptions({ ariaLabel: label(next.path) });
    model?.dispose();
    model = fresh;
    // A final newline ends the last line; the empty "line" after it is not part of the change.
    const lines = Math.max(1, fresh.getLineCount() - (text.endsWith('\n') ? 1 : 0));
    marks.set([{ range: new monaco.Range(1, 1, lines, 1), options: WHOLE_FILE_DECORATION[kind] }]);
  };
  update(document);
  return {
    update,
    dispose() {
      editor.dispose();
      model?.dispose();
    },
  };
}

/** A read-only side-by-side diff of two texts of one file. */
function createSideBySide(element: HTMLElement, document: DiffDocument): DiffHost {
  const editor = monaco.editor.createDiffEditor(element, {
    ...COMMON,
    readOnly: true,
    originalEditable: false,
    renderSideBySide: true,
    useInlineViewWhenSpaceIsLimited: true,
    ariaLabel: `Changes to ${document.path}`,
  });
  let models: monaco.editor.IDiffEditorModel | null = null;
  const release = () => {
    models?.original.dispose();
    models?.modified.dispose();
  };
  const update = (next: DiffDocument) => {
    // Diff models live under their own scheme, one URI per update, so they never clash
    // with the editor's files or with another diff of the same file.
    const n = ++diffCount;
    const uri = (side: string) => monaco.Uri.from({ scheme: 'diff', path: next.path, query: side, fragment: String(n) });
    const fresh = {
      original: monaco.editor.createModel(next.before, next.language, uri('before')),
      modified: monaco.editor.createModel(next.after, next.language, uri('after')),
    };
    const old = models;
    editor.setModel(fresh);
    models = fresh;
    if (old) {
      // Let go of the old pair once the new diff is in (or soon, if it never comes): disposing
      // models Monaco is still diffing makes it throw "no diff result available", and editing
      // the shown models in place makes it draw a stale diff against the new lines.
      const drop = () => {
        clearTimeout(timer);
        listener.dispose();
        old.original.dispose();
        old.modified.dispose();
      };
      const listener = editor.onDidUpdateDiff(drop);
      const timer = setTimeout(drop, 5_000);
    }
  };
  update(document);
  return {
    update,
    dispose() {
      editor.dispose();
      release();
    },
  };
}
