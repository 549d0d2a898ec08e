/**
 * Guest JavaScript (runs inside QuickJS): CommonJS `require`, the entry points the host calls
 * (`U.runMain`, `U.prepareEval`, `U.printResult`) and `U.formatUncaught`, which prints an
 * uncaught error the way Node does: `file:line`, the source line with a caret, then the error
 * and its stack.
 *
 * Resolution: built-ins (with or without `node:`), then relative or absolute paths as given,
 * with `.js`, `.json`, `.cjs`, or a directory's package.json `main` / `index.js`. Any other
 * name is not found: there is no npm and no node_modules lookup here.
 * Plain ES2020 in a string (no backticks, no `${`).
 */
export const BUILTIN_NAMES = 'fs, path, os, util, buffer, timers and assert';

/** Source that uses ES module syntax (a static import or an export): a heuristic, as Node's own detection is. */
export const ESM_SYNTAX = /(^|\n)\s*(import\s*[\w{*'"]|export\s+(default|const|let|var|function|class|async|\{|\*))/;

export const GUEST_REQUIRE = String.raw`
(function (U) {
  'use strict';
  var H = U.host, path = U.builtins.path, fs = U.builtins.fs;
  var cache = Object.create(null), wrapped = Object.create(null);
  function compile(src, filename) {
    U.sources[filename] = src;
    wrapped[filename] = true;
    return H.compile(src.replace(/^#!.*/, ''), filename);
  }
  var ESM = __ESM__;

  function notFound(request, parent) {
    var bare = !/^(\.\.?(\/|$)|\/)/.test(request);
    var e = new Error("Cannot find module '" + request + "'" + (bare
      ? " (the embedded sandbox's node runs on QuickJS with __BUILTINS__; use the WebContainer sandbox for npm packages)"
      : parent ? '\nRequire stack:\n- ' + parent : ''));
    e.code = 'MODULE_NOT_FOUND';
    return e;
  }
  function isFile(p) { var s = fs.statSync(p, { throwIfNoEntry: false }); return !!s && s.isFile(); }
  function resolveFile(request, dir, parent) {
    if (!/^(\.\.?(\/|$)|\/)/.test(request)) throw notFound(request, parent);
    var base = path.resolve(dir, request), exts = ['', '.js', '.json', '.cjs', '.mjs'];
    for (var i = 0; i < exts.length; i++) if (isFile(base + exts[i])) return base + exts[i];
    var pkg = base + '/package.json';
    if (isFile(pkg)) {
      var main;
      try { main = JSON.parse(fs.readFileSync(pkg, 'utf8')).main; } catch (e) { main = undefined; }
      if (typeof main === 'string') {
        var m = path.resolve(base, main), more = ['', '.js', '.json', '/index.js'];
        for (var k = 0; k < more.length; k++) if (isFile(m + more[k])) return m + more[k];
      }
    }
    if (isFile(base + '/index.js')) return base + '/index.js';
    if (isFile(base + '/index.json')) return base + '/index.json';
    throw notFound(request, parent);
  }
  function builtin(request) {
    var name = request.indexOf('node:') === 0 ? request.slice(5) : request;
    return Object.prototype.hasOwnProperty.call(U.builtins, name) ? U.builtins[name] : undefined;
  }

  function Module(filename, parent) {
    this.id = filename; this.filename = filename; this.path = path.dirname(filename);
    this.exports = {}; this.loaded = false; this.parent = parent || null; this.children = []; this.paths = [];
  }
  function makeRequire(mod) {
    var dir = mod.filename === '[eval]' ? U.cwd() : path.dirname(mod.filename);
    var parent = mod.filename === '[eval]' ? undefined : mod.filename;
    function require(request) {
      if (typeof request !== 'string' || !request) throw new TypeError("The argument 'id' must be a non-empty string. Received " + U.util.inspect(request));
      var b = builtin(request);
      if (b) return b;
      return load(resolveFile(request, dir, parent), mod);
    }
    require.resolve = function (request) { return builtin(request) ? request : resolveFile(request, dir, parent); };
    require.cache = cache;
    require.main = U.mainModule;
    return require;
  }
  function load(filename, parent) {
    if (cache[filename]) return cache[filename].exports;
    var mod = new Module(filename, parent);
    mod.require = makeRequire(mod);
    if (parent) parent.children.push(mod);
    cache[filename] = mod;
    try {
      var src = fs.readFileSync(filename, 'utf8');
      if (/\.json$/.test(filename)) {
        try { mod.exports = JSON.parse(src); } catch (e) { e.message = filename + ': ' + e.message; throw e; }
      } else {
        if (/\.mjs$/.test(filename) || (!/\.cjs$/.test(filename) && ESM.test(src) && !/\brequire\s*\(|module\.exports|exports\./.test(src))) {
          var esm = new Error('require() of ES Module ' + filename + ' is not supported here: load ES modules with import from an ES module (.mjs, or a file that uses import/export).');
          esm.code = 'ERR_REQUIRE_ESM';
          throw esm;
        }
        compile(src, filename).call(mod.exports, mod.exports, mod.require, mod, filename, mod.path);
      }
      mod.loaded = true;
    } catch (e) {
      delete cache[filename];
      throw e;
    }
    return mod.exports;
  }
  U.requireFrom = function (filename) { return load(filename, null); };
  U.builtin = builtin;
  U.isEsmSource = function (src) { return ESM.test(src); };

  /** Runs the entry file as the main CommonJS module. */
  U.runMain = function (filename) {
    var mod = new Module(filename, null);
    U.mainModule = mod;
    mod.require = makeRequire(mod);
    mod.id = '.';
    cache[filename] = mod;
    compile(fs.readFileSync(filename, 'utf8'), filename).call(mod.exports, mod.exports, mod.require, mod, filename, mod.path);
    mod.loaded = true;
  };
  /** Globals for -e / -p / stdin code, which runs as a script named [eval]. */
  U.prepareEval = function (name, source) {
    var mod = new Module('[eval]', null);
    mod.filename = name; mod.id = name; mod.path = U.cwd();
    mod.require = makeRequire(Object.assign({}, mod, { filename: '[eval]' }));
    U.sources[name] = source;
    Object.assign(globalThis, { require: mod.require, module: mod, exports: mod.exports, __filename: name, __dirname: U.cwd() });
  };
  U.printResult = function (value) {
    U.write(1, (typeof value === 'string' ? value : U.util.inspect(value)) + '\n');
  };

  function locate(err) {
    if (err && typeof err.fileName === 'string' && err.lineNumber) {
      return { file: err.fileName, line: err.lineNumber, col: err.columnNumber || 0 };
    }
    var lines = err && typeof err.stack === 'string' ? err.stack.split('\n') : [];
    for (var i = 0; i < lines.length; i++) {
      var m = /(?:\(|at )([^()\s][^()]*):(\d+):(\d+)\)?\s*$/.exec(lines[i]);
      if (m && m[1].indexOf('node:internal') === -1) return { file: m[1], line: Number(m[2]), col: Number(m[3]) };
    }
    return null;
  }
  U.formatUncaught = function (err) {
    var head = '', loc = locate(err);
    if (loc) {
      var src = loc.file in U.sources ? U.sources[loc.file] : H.source(loc.file);
      var text = typeof src === 'string' ? src.split('\n')[loc.line - 1] : undefined;
      var col = loc.line === 1 && wrapped[loc.file] ? loc.col - U.wrapperLength : loc.col;
      head = loc.file + ':' + loc.line + '\n';
      if (text !== undefined) head += text + '\n' + (col > 0 ? ' '.repeat(col - 1) + '^\n' : '');
      head += '\n';
    }
    var body = err instanceof Error ? U.util.errorText(err) : 'Uncaught ' + U.util.inspect(err);
    if (err instanceof Error) {
      var extra = Object.keys(err).filter(function (k) { return k !== 'stack' && k !== 'message'; });
      if (extra.length) {
        var o = {};
        extra.forEach(function (k) { o[k] = err[k]; });
        body += ' ' + U.util.inspect(o);
      }
    }
    return head + body;
  };
})(globalThis.__unroll);
`
  .replace('__BUILTINS__', () => BUILTIN_NAMES)
  .replace('__ESM__', () => String(ESM_SYNTAX));
