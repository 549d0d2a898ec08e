/**
 * Guest JavaScript (runs inside QuickJS): the `assert` built-in (and `assert/strict`), plus
 * `U.deepEqual`, which `util.isDeepStrictEqual` shares. Messages follow Node's wording for
 * the common cases; deep-equality failures show both values instead of Node's diff.
 * Plain ES2020 in a string (no backticks, no `${`).
 */
export const GUEST_ASSERT = String.raw`
(function (U) {
  'use strict';
  var inspect = function (v) { return U.util.inspect(v); };

  function deepEqual(a, b, strict, memo) {
    if (strict ? Object.is(a, b) : a == b || (a !== a && b !== b)) return true;
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
    if (strict && Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
    memo = memo || [];
    for (var m = 0; m < memo.length; m++) if (memo[m][0] === a && memo[m][1] === b) return true;
    memo.push([a, b]);
    if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
    if (a instanceof RegExp || b instanceof RegExp) return String(a) === String(b);
    if (a instanceof Error && b instanceof Error && (a.name !== b.name || a.message !== b.message)) return false;
    if (Array.isArray(a) !== Array.isArray(b)) return false;
    if (a instanceof Map || a instanceof Set) {
      if (!(b instanceof Map || b instanceof Set) || a.size !== b.size) return false;
      var bEntries = Array.from(b);
      return Array.from(a).every(function (x) {
        return bEntries.some(function (y) { return deepEqual(x, y, strict, memo); });
      });
    }
    var ka = Object.keys(a), kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    for (var i = 0; i < ka.length; i++) {
      if (!Object.prototype.hasOwnProperty.call(b, ka[i])) return false;
      if (!deepEqual(a[ka[i]], b[ka[i]], strict, memo)) return false;
    }
    return true;
  }
  U.deepEqual = deepEqual;

  class AssertionError extends Error {
    constructor(options) {
      super(options.message);
      this.name = 'AssertionError';
      this.code = 'ERR_ASSERTION';
      this.actual = options.actual;
      this.expected = options.expected;
      this.operator = options.operator;
      this.generatedMessage = !options.userMessage;
    }
  }
  function fail(actual, expected, message, generated, operator) {
    if (message instanceof Error) throw message;
    throw new AssertionError({ message: message || generated, userMessage: !!message, actual: actual, expected: expected, operator: operator });
  }

  function ok(value, message) {
    if (!value) fail(value, true, message, 'The expression evaluated to a falsy value: ' + inspect(value), '==');
  }
  function matches(err, expected) {
    if (expected === undefined) return true;
    if (expected instanceof RegExp) return expected.test(String(err && err.message !== undefined ? err.message : err)) || expected.test(String(err));
    if (typeof expected === 'function') {
      if (expected.prototype !== undefined && err instanceof expected) return true;
      if (Error.isPrototypeOf(expected) || expected === Error) return false;
      return expected.call({}, err) === true;
    }
    return Object.keys(expected).every(function (k) {
      var want = expected[k];
      return want instanceof RegExp && typeof err[k] === 'string' ? want.test(err[k]) : deepEqual(err[k], want, true);
    });
  }
  function throws(fn, expected, message) {
    if (typeof expected === 'string') { message = expected; expected = undefined; }
    try { fn(); } catch (err) {
      if (!matches(err, expected)) {
        if (message) fail(err, expected, message, '', 'throws');
        throw err;
      }
      return;
    }
    fail(undefined, expected, message, 'Missing expected exception' + (expected && expected.name ? ' (' + expected.name + ').' : '.'), 'throws');
  }
  function rejects(promiseOrFn, expected, message) {
    if (typeof expected === 'string') { message = expected; expected = undefined; }
    return Promise.resolve().then(function () { return typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn; }).then(
      function () { fail(undefined, expected, message, 'Missing expected rejection' + (expected && expected.name ? ' (' + expected.name + ').' : '.'), 'rejects'); },
      function (err) { if (!matches(err, expected)) { if (message) fail(err, expected, message, '', 'rejects'); throw err; } });
  }

  var assert = function (value, message) { ok(value, message); };
  Object.assign(assert, {
    AssertionError: AssertionError,
    ok: ok,
    fail: function (message) { fail(undefined, undefined, message, 'Failed', 'fail'); },
    equal: function (a, b, m) { if (!(a == b || (a !== a && b !== b))) fail(a, b, m, inspect(a) + ' == ' + inspect(b), '=='); },
    notEqual: function (a, b, m) { if (a == b || (a !== a && b !== b)) fail(a, b, m, inspect(a) + ' != ' + inspect(b), '!='); },
    strictEqual: function (a, b, m) {
      if (!Object.is(a, b)) fail(a, b, m, 'Expected values to be strictly equal:\n\n' + inspect(a) + ' !== ' + inspect(b) + '\n', 'strictEqual');
    },
    notStrictEqual: function (a, b, m) {
      if (Object.is(a, b)) fail(a, b, m, 'Expected "actual" to be strictly unequal to: ' + inspect(b), 'notStrictEqual');
    },
    deepEqual: function (a, b, m) {
      if (!deepEqual(a, b, false)) fail(a, b, m, 'Expected values to be loosely deep-equal:\n\n' + inspect(a) + '\n\nshould loosely deep-equal\n\n' + inspect(b), 'deepEqual');
    },
    deepStrictEqual: function (a, b, m) {
      if (!deepEqual(a, b, true)) fail(a, b, m, 'Expected values to be strictly deep-equal:\n\n' + inspect(a) + '\n\nshould equal\n\n' + inspect(b), 'deepStrictEqual');
    },
    notDeepEqual: function (a, b, m) { if (deepEqual(a, b, false)) fail(a, b, m, '"actual" deepEqual "expected"', 'notDeepEqual'); },
    notDeepStrictEqual: function (a, b, m) {
      if (deepEqual(a, b, true)) fail(a, b, m, 'Expected "actual" not to be strictly deep-equal to: ' + inspect(b), 'notDeepStrictEqual');
    },
    throws: throws,
    doesNotThrow: function (fn, message) {
      try { fn(); } catch (err) { fail(err, undefined, typeof message === 'string' ? message : undefined, 'Got unwanted exception.\nActual message: "' + (err && err.message) + '"', 'doesNotThrow'); }
    },
    rejects: rejects,
    doesNotReject: function (promiseOrFn, message) {
      return Promise.resolve().then(function () { return typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn; }).then(
        function () {}, function (err) { fail(err, undefined, message, 'Got unwanted rejection.\nActual message: "' + (err && err.message) + '"', 'doesNotReject'); });
    },
    match: function (s, re, m) { if (!re.test(s)) fail(s, re, m, 'The input did not match the regular expression ' + String(re) + '. Input:\n\n' + inspect(s) + '\n', 'match'); },
    doesNotMatch: function (s, re, m) { if (re.test(s)) fail(s, re, m, 'The input was expected to not match the regular expression ' + String(re) + '. Input:\n\n' + inspect(s) + '\n', 'doesNotMatch'); },
    ifError: function (v) { if (v !== null && v !== undefined) throw v; },
  });
  var strict = function (value, message) { ok(value, message); };
  Object.assign(strict, assert, { equal: assert.strictEqual, notEqual: assert.notStrictEqual, deepEqual: assert.deepStrictEqual, notDeepEqual: assert.notDeepStrictEqual });
  assert.strict = strict;
  strict.strict = strict;
  U.builtins.assert = assert;
  U.builtins['assert/strict'] = strict;
})(globalThis.__unroll);
`;
