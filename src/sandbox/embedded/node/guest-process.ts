/**
 * Guest JavaScript (runs inside QuickJS): the registry bootstrap, then the Node globals —
 * `console`, `process`, timers on the wall clock, `queueMicrotask`, `performance`.
 *
 * Timers: when the script's synchronous part and its promise jobs are done, the host asks
 * `U.nextTimer()` when the earliest timer is due (-1: none keeps the process alive; unref'd
 * timers alone do not), waits until then, and calls `U.runTimer()`, which runs the earliest
 * timer (ties in creation order). `process.exit` tells the host (which stops the VM at its next interrupt
 * check) and throws so the code after it does not run.
 * Plain ES2020 in a string (no backticks, no `${`).
 */

/** Creates the internal registry `globalThis.__unroll` (non-enumerable) around the host bridge. */
export const GUEST_BOOT = String.raw`
Object.defineProperty(globalThis, '__unroll', {
  value: { host: globalThis.__unroll_host, builtins: Object.create(null), sources: Object.create(null), memoryLimit: 0 },
  enumerable: false, configurable: false, writable: false,
});
delete globalThis.__unroll_host;
`;

export const GUEST_PROCESS = String.raw`
(function (U) {
  'use strict';
  var H = U.host, cwd = '/', exiting = false, finished = false;
  U.cwd = function () { return cwd; };
  U.write = function (fd, text) { H.write(fd, text); };

  // ---------------------------------------------------------------- timers (wall clock)
  var timers = new Map(), nextId = 1, seq = 0;
  function Timeout(id) { this._id = id; }
  Timeout.prototype.ref = function () { var t = timers.get(this._id); if (t) t.unref = false; return this; };
  Timeout.prototype.unref = function () { var t = timers.get(this._id); if (t) t.unref = true; return this; };
  Timeout.prototype.hasRef = function () { var t = timers.get(this._id); return !!t && !t.unref; };
  Timeout.prototype.refresh = function () { var t = timers.get(this._id); if (t) { t.due = Date.now() + t.ms; t.seq = seq++; } return this; };
  Timeout.prototype[Symbol.toPrimitive] = function () { return this._id; };
  function addTimer(fn, ms, args, repeat) {
    if (typeof fn !== 'function') {
      var e = new TypeError('The "callback" argument must be of type function. Received ' + U.util.inspect(fn));
      e.code = 'ERR_INVALID_ARG_TYPE';
      throw e;
    }
    ms = Number(ms);
    if (!(ms >= 1 && ms <= 2147483647)) ms = repeat === 'immediate' ? 0 : 1;
    var id = nextId++;
    timers.set(id, { id: id, fn: fn, args: args, ms: ms, due: Date.now() + ms, seq: seq++, repeat: repeat === true, immediate: repeat === 'immediate', unref: false });
    return new Timeout(id);
  }
  function clear(handle) {
    if (handle === null || handle === undefined) return;
    timers.delete(typeof handle === 'object' ? handle._id : Number(handle));
  }
  U.setImmediate = function (fn) { return addTimer(fn, 0, Array.prototype.slice.call(arguments, 1), 'immediate'); };
  // Immediates come first (Node's check phase follows the script before timers are due), then
  // timers by due time, ties in creation order.
  function before(a, b) {
    if (a.immediate !== b.immediate) return a.immediate;
    return a.due < b.due || (a.due === b.due && a.seq < b.seq);
  }
  function earliest() {
    var best = null, alive = false;
    timers.forEach(function (t) {
      if (!t.unref) alive = true;
      if (!best || before(t, best)) best = t;
    });
    return alive && !exiting ? best : null;
  }
  /** When the earliest timer is due (ms since the epoch); -1 when none keeps the process alive. */
  U.nextTimer = function () { var t = earliest(); return t ? (t.immediate ? 0 : t.due) : -1; };
  /** Runs the earliest timer. */
  U.runTimer = function () {
    var best = earliest();
    if (!best) return;
    if (best.repeat) { best.due = Date.now() + best.ms; best.seq = seq++; } else timers.delete(best.id);
    best.fn.apply(undefined, best.args);
  };
  Object.assign(globalThis, {
    setTimeout: function (fn, ms) { return addTimer(fn, ms, Array.prototype.slice.call(arguments, 2), false); },
    setInterval: function (fn, ms) { return addTimer(fn, ms, Array.prototype.slice.call(arguments, 2), true); },
    setImmediate: U.setImmediate,
    clearTimeout: clear, clearInterval: clear, clearImmediate: clear,
    queueMicrotask: function (fn) {
      Promise.resolve().then(function () { try { fn(); } catch (e) { U.fatal(e); } });
    },
    global: globalThis,
  });
  var started = Date.now();
  globalThis.performance = { timeOrigin: started, now: function () { return Date.now() - started; } };
  U.builtins.timers = { setTimeout: setTimeout, setInterval: setInterval, setImmediate: setImmediate,
    clearTimeout: clear, clearInterval: clear, clearImmediate: clear };

  // ---------------------------------------------------------------- console
  var indent = '', counts = Object.create(null), times = Object.create(null);
  function print(fd, text) {
    U.write(fd, (indent ? text.split('\n').map(function (l) { return indent + l; }).join('\n') : text) + '\n');
  }
  function out(fd) { return function () { print(fd, U.util.format.apply(null, arguments)); }; }
  globalThis.console = {
    log: out(1), info: out(1), debug: out(1), warn: out(2), error: out(2),
    dir: function (v, opts) { print(1, U.util.inspect(v, opts)); },
    table: out(1),
    trace: function () {
      var stack = (new Error().stack || '').split('\n').slice(1).join('\n');
      print(2, 'Trace' + (arguments.length ? ': ' + U.util.format.apply(null, arguments) : '') + '\n' + stack.replace(/\s+$/, ''));
    },
    assert: function (ok) {
      if (!ok) print(2, 'Assertion failed' + (arguments.length > 1 ? ': ' + U.util.format.apply(null, Array.prototype.slice.call(arguments, 1)) : ''));
    },
    count: function (label) { label = label === undefined ? 'default' : String(label); counts[label] = (counts[label] || 0) + 1; print(1, label + ': ' + counts[label]); },
    countReset: function (label) { counts[label === undefined ? 'default' : String(label)] = 0; },
    time: function (label) { times[label === undefined ? 'default' : String(label)] = Date.now(); },
    timeLog: function (label) { label = label === undefined ? 'default' : String(label); print(1, label + ': ' + (Date.now() - times[label]) + 'ms'); },
    timeEnd: function (label) { label = label === undefined ? 'default' : String(label); print(1, label + ': ' + (Date.now() - times[label]) + 'ms'); delete times[label]; },
    group: function () { if (arguments.length) console.log.apply(null, arguments); indent += '  '; },
    groupEnd: function () { indent = indent.slice(2); },
  };
  console.groupCollapsed = console.group;

  // ---------------------------------------------------------------- process
  var listeners = Object.create(null), stdinText = null;
  function on(event, fn) { (listeners[event] = listeners[event] || []).push(fn); return process; }
  function emit(event) {
    var args = Array.prototype.slice.call(arguments, 1);
    (listeners[event] || []).slice().forEach(function (fn) { fn.apply(process, args); });
    return !!(listeners[event] && listeners[event].length);
  }
  function stream(fd) {
    return { fd: fd, isTTY: false, columns: 80, rows: 24,
      write: function (chunk, enc, cb) { U.write(fd, String(chunk)); if (typeof enc === 'function') enc(); else if (typeof cb === 'function') cb(); return true; },
      on: function () { return this; }, once: function () { return this; }, end: function () {} };
  }
  var stdinListeners = Object.create(null), stdinScheduled = false;
  function readStdin() { if (stdinText === null) stdinText = H.stdin(); return stdinText; }
  function scheduleStdin() {
    if (stdinScheduled) return;
    stdinScheduled = true;
    U.setImmediate(function () {
      var text = readStdin();
      if (text) (stdinListeners.data || []).forEach(function (fn) { fn(text); });
      (stdinListeners.end || []).concat(stdinListeners.close || []).forEach(function (fn) { fn(); });
    });
  }
  var stdin = { fd: 0, isTTY: false,
    setEncoding: function () { return this; }, resume: function () { return this; }, pause: function () { return this; },
    on: function (event, fn) { (stdinListeners[event] = stdinListeners[event] || []).push(fn); scheduleStdin(); return this; },
    read: function () { var t = readStdin(); stdinText = ''; return t || null; },
  };
  stdin.once = stdin.on;
  stdin.addListener = stdin.on;
  stdin[Symbol.asyncIterator] = async function* () { var t = readStdin(); if (t) yield t; };

  function reallyExit(code) {
    if (!exiting) {
      exiting = true;
      try { emit('exit', code); } catch (e) { U.write(2, U.formatUncaught(e) + '\n'); code = 1; }
    }
    H.exit(code);
    throw U.exitSignal;
  }
  U.exitSignal = Object.freeze({ toString: function () { return 'process.exit'; } });
  var process = {
    argv: ['node'], argv0: 'node', execArgv: [], execPath: '/usr/local/bin/node', env: {}, pid: 1, ppid: 0,
    platform: 'linux', arch: 'wasm32', title: 'node', exitCode: undefined,
    release: { name: 'node' }, config: { variables: {} }, features: {},
    stdout: stream(1), stderr: stream(2), stdin: stdin,
    cwd: function () { return cwd; },
    chdir: function (dir) {
      var target = U.builtins.path.resolve(String(dir));
      if (!U.builtins.fs.statSync(target).isDirectory()) throw new Error("ENOTDIR: not a directory, chdir '" + target + "'");
      cwd = target;
    },
    exit: function (code) {
      if (code !== undefined) process.exitCode = code;
      reallyExit(Number(process.exitCode) || 0);
    },
    abort: function () { reallyExit(134); },
    nextTick: function (fn) {
      var args = Array.prototype.slice.call(arguments, 1);
      queueMicrotask(function () { fn.apply(undefined, args); });
    },
    hrtime: Object.assign(function (prev) {
      var ms = performance.now(), s = Math.floor(ms / 1000), ns = Math.round((ms % 1000) * 1e6);
      if (prev) { s -= prev[0]; ns -= prev[1]; if (ns < 0) { s--; ns += 1e9; } }
      return [s, ns];
    }, { bigint: function () { return BigInt(Math.round(performance.now() * 1e6)); } }),
    uptime: function () { return performance.now() / 1000; },
    memoryUsage: function () { return { rss: 0, heapTotal: U.memoryLimit, heapUsed: 0, external: 0, arrayBuffers: 0 }; },
    umask: function () { return 18; },
    emitWarning: function (w) { U.write(2, '(node) Warning: ' + (w && w.message ? w.message : String(w)) + '\n'); },
    on: on, addListener: on, once: on, emit: emit,
    off: function (event, fn) { listeners[event] = (listeners[event] || []).filter(function (f) { return f !== fn; }); return process; },
    listeners: function (event) { return (listeners[event] || []).slice(); },
  };
  process.removeListener = process.off;
  process.removeAllListeners = function (event) { if (event) delete listeners[event]; else listeners = Object.create(null); return process; };
  globalThis.process = U.process = process;
  U.builtins.process = process;
  U.builtins.console = console;

  /** Called once by the host before the script: argv, env, cwd, versions, limits. */
  U.setup = function (o) {
    cwd = o.cwd;
    process.argv = o.argv;
    process.env = o.env;
    process.version = o.version;
    process.versions = o.versions;
    U.memoryLimit = o.memoryLimit;
    U.wrapperLength = o.wrapperLength;
  };
  /** The script's end: emits 'exit' (once) and answers the exit code. */
  U.finish = function () {
    var code = Number(process.exitCode) || 0;
    if (!exiting && !finished) {
      finished = true;
      exiting = true;
      emit('exit', code);
      code = Number(process.exitCode) || code;
    }
    return code;
  };
  /** An error nothing caught (in a timer, a microtask, a stdin callback): report it and stop with 1. */
  U.fatal = function (e) {
    if (e === U.exitSignal) return;
    U.write(2, U.formatUncaught(e) + '\n');
    process.exitCode = 1;
    reallyExit(1);
  };
})(globalThis.__unroll);
`;
