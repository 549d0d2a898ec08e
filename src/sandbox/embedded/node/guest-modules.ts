/**
 * Guest JavaScript (runs inside QuickJS): the `path` (POSIX), `os` and `util` built-in modules.
 * Each registers itself in `U.builtins`; `path.resolve` uses `U.cwd()`, which the runtime
 * defines. Plain ES2020 in a string (no backticks, no `${`).
 */
export const GUEST_MODULES = String.raw`
(function (U) {
  'use strict';
  function normalizeParts(parts, allowAbove) {
    var out = [];
    for (var i = 0; i < parts.length; i++) {
      var p = parts[i];
      if (!p || p === '.') continue;
      if (p === '..') {
        if (out.length && out[out.length - 1] !== '..') out.pop();
        else if (allowAbove) out.push('..');
      } else out.push(p);
    }
    return out;
  }
  function str(p, name) {
    if (typeof p !== 'string') {
      var e = new TypeError('The "' + (name || 'path') + '" argument must be of type string. Received ' + U.util.inspect(p));
      e.code = 'ERR_INVALID_ARG_TYPE';
      throw e;
    }
    return p;
  }
  function normalize(p) {
    str(p);
    if (p === '') return '.';
    var abs = p[0] === '/', trail = p[p.length - 1] === '/';
    var r = normalizeParts(p.split('/'), !abs).join('/');
    if (!r && !abs) r = '.';
    if (r && trail) r += '/';
    return (abs ? '/' : '') + r;
  }
  function join() {
    var parts = Array.prototype.slice.call(arguments).map(function (p) { return str(p); }).filter(Boolean);
    return parts.length ? normalize(parts.join('/')) : '.';
  }
  function resolve() {
    var r = '', abs = false;
    for (var i = arguments.length - 1; i >= -1 && !abs; i--) {
      var p = i >= 0 ? str(arguments[i]) : U.cwd();
      if (!p) continue;
      r = p + '/' + r;
      abs = p[0] === '/';
    }
    r = normalizeParts(r.split('/'), !abs).join('/');
    return abs ? '/' + r : r || '.';
  }
  function trimSlashes(p) { while (p.length > 1 && p[p.length - 1] === '/') p = p.slice(0, -1); return p; }
  function dirname(p) {
    str(p);
    if (!p) return '.';
    p = trimSlashes(p);
    var i = p.lastIndexOf('/');
    if (i === -1) return '.';
    return i === 0 ? '/' : trimSlashes(p.slice(0, i));
  }
  function basename(p, ext) {
    str(p);
    p = trimSlashes(p);
    var b = p === '/' ? '' : p.slice(p.lastIndexOf('/') + 1);
    if (ext && b !== ext && b.slice(-ext.length) === ext) b = b.slice(0, -ext.length);
    return b;
  }
  function extname(p) {
    var b = basename(p), i = b.lastIndexOf('.');
    return i <= 0 ? '' : b.slice(i);
  }
  function relative(from, to) {
    var f = resolve(from).split('/').filter(Boolean), t = resolve(to).split('/').filter(Boolean), i = 0;
    while (i < f.length && i < t.length && f[i] === t[i]) i++;
    var up = [];
    for (var k = i; k < f.length; k++) up.push('..');
    return up.concat(t.slice(i)).join('/');
  }
  function parse(p) {
    var root = p[0] === '/' ? '/' : '', base = basename(p), ext = extname(p);
    var dir = dirname(p);
    if (dir === '.' && p.indexOf('/') === -1) dir = '';
    return { root: root, dir: dir, base: base, ext: ext, name: ext ? base.slice(0, -ext.length) : base };
  }
  function format(o) {
    var dir = o.dir || o.root || '', base = o.base || (o.name || '') + (o.ext || '');
    return dir ? (dir === o.root ? dir + base : dir + '/' + base) : base;
  }
  var path = {
    sep: '/', delimiter: ':', normalize: normalize, join: join, resolve: resolve, dirname: dirname,
    basename: basename, extname: extname, relative: relative, parse: parse, format: format,
    isAbsolute: function (p) { return str(p)[0] === '/'; },
    toNamespacedPath: function (p) { return p; },
  };
  path.posix = path;
  U.builtins.path = path;

  var env = function () { return U.process ? U.process.env : {}; };
  U.builtins.os = {
    EOL: '\n',
    platform: function () { return 'linux'; },
    type: function () { return 'Linux'; },
    arch: function () { return 'wasm32'; },
    release: function () { return '0.0.0-quickjs'; },
    hostname: function () { return 'embedded-sandbox'; },
    homedir: function () { return env().HOME || '/home/user'; },
    tmpdir: function () { return env().TMPDIR || '/tmp'; },
    userInfo: function () { return { username: env().USER || 'user', uid: 1000, gid: 1000, shell: '/bin/bash', homedir: env().HOME || '/home/user' }; },
    cpus: function () { return []; },
    totalmem: function () { return U.memoryLimit; },
    freemem: function () { return U.memoryLimit; },
    endianness: function () { return 'LE'; },
    uptime: function () { return 0; },
  };

  function promisify(fn) {
    return function () {
      var args = Array.prototype.slice.call(arguments), self = this;
      return new Promise(function (res, rej) {
        fn.apply(self, args.concat([function (err, value) { if (err) rej(err); else res(value); }]));
      });
    };
  }
  U.builtins.util = {
    format: U.util.format,
    inspect: U.util.inspect,
    promisify: promisify,
    inherits: function (ctor, superCtor) {
      Object.setPrototypeOf(ctor.prototype, superCtor.prototype);
      Object.setPrototypeOf(ctor, superCtor);
      ctor.super_ = superCtor;
    },
    deprecate: function (fn) { return fn; },
    debuglog: function () { return function () {}; },
    isDeepStrictEqual: function (a, b) { return U.deepEqual(a, b, true); },
    types: {
      isDate: function (v) { return v instanceof Date; },
      isRegExp: function (v) { return v instanceof RegExp; },
      isPromise: function (v) { return v instanceof Promise; },
    },
  };
})(globalThis.__unroll);
`;
