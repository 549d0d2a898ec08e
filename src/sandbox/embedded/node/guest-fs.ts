/**
 * Guest JavaScript (runs inside QuickJS): the `fs` built-in over the synchronous host bridge
 * `U.host.fs(op, argsJson)`, which answers JSON `{ok}` or `{error: {code, message}}` from the
 * run's filesystem mirror (fs-bridge.ts, fs-mirror.ts).
 *
 * - The sync API is the real one; `fs.promises` and the callback forms are thin wrappers.
 * - `readFileSync` answers a Buffer, or a string when an encoding is given; typed arrays and
 *   Buffers are written as bytes.
 * - Fd 0 and `/dev/stdin` read the command's stdin.
 * Plain ES2020 in a string (no backticks, no `${`).
 */
export const GUEST_FS = String.raw`
(function (U) {
  'use strict';
  var ERRNO = { ENOENT: -2, EEXIST: -17, ENOTDIR: -20, EISDIR: -21, ENOTEMPTY: -39, EACCES: -13, EINVAL: -22 };

  function call(op, args, syscall) {
    var r = JSON.parse(U.host.fs(op, JSON.stringify(args)));
    if (!r.error) return r.ok;
    var e = new Error(r.error.message);
    if (r.error.code) { e.code = r.error.code; e.errno = ERRNO[r.error.code]; }
    e.syscall = syscall;
    if (typeof args[0] === 'string') e.path = args[0];
    throw e;
  }
  function abs(p) {
    if (p && typeof p === 'object' && typeof p.href === 'string' && p.href.indexOf('file://') === 0) p = decodeURIComponent(p.href.slice(7));
    if (typeof p !== 'string') {
      var e = new TypeError('The "path" argument must be of type string. Received ' + U.util.inspect(p));
      e.code = 'ERR_INVALID_ARG_TYPE';
      throw e;
    }
    return U.builtins.path.resolve(p);
  }
  function isStdin(p) { return p === 0 || p === '/dev/stdin'; }
  function flagOf(opts) { return opts && typeof opts === 'object' ? opts.flag : undefined; }

  function makeStat(s) {
    return {
      size: s.size, mode: s.mode, mtimeMs: s.mtimeMs, mtime: new Date(s.mtimeMs), atime: new Date(s.mtimeMs),
      ctime: new Date(s.mtimeMs), birthtime: new Date(s.mtimeMs), uid: 1000, gid: 1000, nlink: 1,
      isFile: function () { return s.isFile; },
      isDirectory: function () { return s.isDirectory; },
      isSymbolicLink: function () { return s.isSymbolicLink; },
    };
  }
  function write(p, data, append) {
    if (p === 1 || p === 2) { U.write(p, String(data)); return; }
    if (ArrayBuffer.isView(data)) call('writeBytes', [abs(p), Array.from(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)), append], 'open');
    else call('write', [abs(p), String(data), append], 'open');
  }

  var fs = {
    constants: { F_OK: 0, R_OK: 4, W_OK: 2, X_OK: 1 },
    readFileSync: function (p, opts) {
      var enc = typeof opts === 'string' ? opts : opts && typeof opts === 'object' ? opts.encoding : undefined;
      if (enc !== undefined && enc !== null && !U.Buffer.isEncoding(enc)) U.Buffer.from('', enc);
      var utf8 = enc !== undefined && enc !== null && /^utf-?8$/i.test(enc);
      if (isStdin(p)) { var text = U.host.stdin(); return utf8 ? text : enc ? U.Buffer.from(text).toString(enc) : U.Buffer.from(text); }
      if (utf8) return call('read', [abs(p)], 'open');
      var bytes = U.Buffer.from(call('readBytes', [abs(p)], 'open'), 'base64');
      return enc ? bytes.toString(enc) : bytes;
    },
    writeFileSync: function (p, data, opts) { write(p, data, flagOf(opts) === 'a'); },
    appendFileSync: function (p, data) { write(p, data, true); },
    existsSync: function (p) { try { return call('exists', [abs(p)], 'access'); } catch (e) { return false; } },
    accessSync: function (p) { call('stat', [abs(p), false], 'access'); },
    statSync: function (p, opts) {
      try { return makeStat(call('stat', [abs(p), false], 'stat')); } catch (e) {
        if (opts && opts.throwIfNoEntry === false && e.code === 'ENOENT') return undefined;
        throw e;
      }
    },
    lstatSync: function (p) { return makeStat(call('stat', [abs(p), true], 'lstat')); },
    readdirSync: function (p, opts) {
      var dir = abs(p), withTypes = !!(opts && typeof opts === 'object' && opts.withFileTypes);
      var list = call('readdir', [dir, withTypes], 'scandir');
      if (!withTypes) return list;
      return list.map(function (d) {
        return {
          name: d.name, parentPath: dir, path: dir,
          isFile: function () { return d.isFile; },
          isDirectory: function () { return d.isDirectory; },
          isSymbolicLink: function () { return d.isSymbolicLink; },
        };
      });
    },
    mkdirSync: function (p, opts) {
      var recursive = !!(opts && typeof opts === 'object' && opts.recursive), target = abs(p);
      var existed = recursive && call('exists', [target], 'mkdir');
      call('mkdir', [target, recursive], 'mkdir');
      return recursive && !existed ? target : undefined;
    },
    rmSync: function (p, opts) { call('rm', [abs(p), !!(opts && opts.recursive), !!(opts && opts.force), 'rm'], 'rm'); },
    rmdirSync: function (p, opts) { call('rm', [abs(p), !!(opts && opts.recursive), false, 'rmdir'], 'rmdir'); },
    unlinkSync: function (p) { call('rm', [abs(p), false, false, 'unlink'], 'unlink'); },
    renameSync: function (a, b) { call('rename', [abs(a), abs(b)], 'rename'); },
    copyFileSync: function (a, b) { call('copy', [abs(a), abs(b)], 'copyfile'); },
    cpSync: function (a, b) { call('copy', [abs(a), abs(b)], 'cp'); },
    realpathSync: function (p) { return call('realpath', [abs(p)], 'realpath'); },
  };

  var promises = {}, names = Object.keys(fs).filter(function (k) { return /Sync$/.test(k); });
  names.forEach(function (name) {
    var sync = fs[name], base = name.slice(0, -4);
    if (base === 'exists') return;
    promises[base] = function () {
      var args = arguments;
      return new Promise(function (res, rej) { try { res(sync.apply(null, args)); } catch (e) { rej(e); } });
    };
    fs[base] = function () {
      var args = Array.prototype.slice.call(arguments), cb = args.pop();
      if (typeof cb !== 'function') throw new TypeError('The "cb" argument must be of type function. Received ' + U.util.inspect(cb));
      U.setImmediate(function () {
        var value;
        try { value = sync.apply(null, args); } catch (e) { cb(e); return; }
        cb(null, value);
      });
    };
  });
  promises.constants = fs.constants;
  fs.exists = function (p, cb) { U.setImmediate(function () { cb(fs.existsSync(p)); }); };
  fs.promises = promises;
  U.builtins.fs = fs;
  U.builtins['fs/promises'] = promises;
})(globalThis.__unroll);
`;
