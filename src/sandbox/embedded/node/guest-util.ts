/**
 * Guest JavaScript (runs inside QuickJS, not in the host): `util.inspect` and `util.format`,
 * close to Node's output for what scripts usually print — quoted strings inside objects,
 * `[Object]` past depth 2, `[Circular *1]`, Map/Set/Date/Error forms, one line when it fits in
 * 80 columns, short array items grouped in columns. It defines `U.util` on the internal
 * registry object the prelude passes around (see guest-runtime.ts).
 *
 * Written as plain ES2020 in a string (no backticks, no `${`) so it needs no bundling.
 */
export const GUEST_UTIL = String.raw`
(function (U) {
  'use strict';
  var custom = Symbol.for('nodejs.util.inspect.custom');
  var BREAK = 80;
  var ESCAPES = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f', '\v': '\\v', '\\': '\\\\' };

  function quote(s) {
    var q = "'";
    if (s.indexOf("'") !== -1) q = s.indexOf('"') === -1 ? '"' : "'";
    return q + s.replace(/[\n\r\t\b\f\v\\]/g, function (c) { return ESCAPES[c]; })
      .split(q).join(q === "'" ? "\\'" : q) + q;
  }
  function keyName(k) {
    if (typeof k === 'symbol') return '[' + k.toString() + ']';
    return /^[A-Za-z_$][\w$]*$/.test(k) ? k : quote(k);
  }
  function fnName(v) {
    var src = '';
    try { src = Function.prototype.toString.call(v); } catch (e) {}
    var kind = /^class\b/.test(src) ? 'class' : /^async\s*function\s*\*/.test(src) ? 'AsyncGeneratorFunction'
      : /^async\b/.test(src) ? 'AsyncFunction' : /^function\s*\*/.test(src) ? 'GeneratorFunction' : 'Function';
    if (kind === 'class') return '[class ' + (v.name || '(anonymous)') + ']';
    return '[' + kind + (v.name ? ': ' + v.name : ' (anonymous)') + ']';
  }
  function ctorName(v) {
    var proto = Object.getPrototypeOf(v);
    if (proto === null) return null;
    var c = proto.constructor;
    return typeof c === 'function' && c.name ? c.name : '';
  }
  function errorText(e) {
    var head = String(e.name || 'Error') + (e.message ? ': ' + e.message : '');
    var stack = typeof e.stack === 'string' ? e.stack.replace(/\s+$/, '') : '';
    stack = stack.split('\n').filter(function (l) { return l.indexOf('node:internal') === -1 && !/\(native\)$/.test(l); }).join('\n');
    return stack ? head + '\n' + stack : head;
  }

  function groupArray(out, value, indent, hasMore) {
    // A trailing "... n more items" is not grouped with the rest.
    var more = hasMore ? out.pop() : null;
    var grouped = groupEntries(out, value, indent);
    if (more !== null) grouped.push(more);
    return grouped;
  }
  function groupEntries(out, value, indent) {
    var total = 0, max = 0, lens = [];
    for (var i = 0; i < out.length; i++) { lens[i] = out[i].length; total += lens[i] + 2; if (lens[i] > max) max = lens[i]; }
    var actualMax = max + 2;
    if (!(actualMax * 3 + indent < BREAK && (total / actualMax > 5 || max <= 6))) return out;
    var bias = Math.sqrt(actualMax - total / out.length), biasedMax = Math.max(actualMax - 3 - bias, 1);
    var cols = Math.min(Math.round(Math.sqrt(2.5 * biasedMax * out.length) / biasedMax),
      Math.floor((BREAK - indent) / actualMax), 12, 15);
    if (cols <= 1) return out;
    var widths = [];
    for (var c = 0; c < cols; c++) {
      var w = 0;
      for (var j = c; j < out.length; j += cols) if (lens[j] > w) w = lens[j];
      widths.push(w + 2);
    }
    var numeric = value.every(function (x) { return typeof x === 'number' || typeof x === 'bigint'; });
    var rows = [];
    for (var r = 0; r < out.length; r += cols) {
      var end = Math.min(r + cols, out.length), line = '';
      for (var k = r; k < end - 1; k++) {
        var cell = out[k] + ', ';
        line += numeric ? cell.padStart(widths[k - r]) : cell.padEnd(widths[k - r]);
      }
      line += numeric ? out[end - 1].padStart(widths[end - 1 - r] - 2) : out[end - 1];
      rows.push(line);
    }
    return rows;
  }

  function reduce(ctx, out, base, open, close, indent, height, isArray, value) {
    var n = out.length;
    if (isArray && n > 6) out = groupArray(out, value, indent, value.hasMore);
    if (height < 3 && n === out.length) {
      var start = out.length + indent + open.length + base.length + 10, total = out.length + start, fits = total + out.length <= BREAK;
      for (var i = 0; fits && i < out.length; i++) { total += out[i].length; if (total > BREAK) fits = false; }
      var joined = out.join(', ');
      if (fits && joined.indexOf('\n') === -1) return (base ? base + ' ' : '') + open + ' ' + joined + ' ' + close;
    }
    var pad = '\n' + ' '.repeat(indent);
    return (base ? base + ' ' : '') + open + pad + '  ' + out.join(',' + pad + '  ') + pad + close;
  }

  // ctx.height after a call: -1 for a value shown without its entries, otherwise how many
  // levels of expanded objects it contains below itself (Node puts up to 3 on one line).
  function formatValue(ctx, v, level, indent) {
    ctx.height = -1;
    if (v === null) return 'null';
    switch (typeof v) {
      case 'undefined': return 'undefined';
      case 'string': return quote(v);
      case 'number': return Object.is(v, -0) ? '-0' : String(v);
      case 'bigint': return String(v) + 'n';
      case 'boolean': return String(v);
      case 'symbol': return v.toString();
    }
    if (typeof v[custom] === 'function' && v[custom] !== U.util.inspect) {
      var res = v[custom](ctx.depth - level, { depth: ctx.depth - level }, U.util.inspect);
      return typeof res === 'string' ? res : formatValue(ctx, res, level, indent);
    }
    if (ctx.seen.indexOf(v) !== -1) return '[Circular *1]';
    if (typeof v === 'function') {
      var fkeys = Object.keys(v);
      if (!fkeys.length) return fnName(v);
    }
    if (v instanceof Error) return errorText(v).split('\n').join('\n' + ' '.repeat(indent));
    if (v instanceof Date) return isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString();
    if (v instanceof RegExp) return String(v);
    if (v instanceof Promise) return 'Promise {}';
    if (v instanceof WeakMap || v instanceof WeakSet) return ctorName(v) + ' { <items unknown> }';
    if (v instanceof ArrayBuffer) return 'ArrayBuffer { byteLength: ' + v.byteLength + ' }';
    if (U.Buffer && v instanceof U.Buffer) {
      var hex = Array.prototype.slice.call(v, 0, 50).map(function (b) { return (b < 16 ? '0' : '') + b.toString(16); }).join(' ');
      return '<Buffer' + (hex ? ' ' + hex : '') + (v.length > 50 ? ' ... ' + (v.length - 50) + ' more byte' + (v.length > 51 ? 's' : '') : '') + '>';
    }

    var name = ctorName(v), isArray = Array.isArray(v), typed = ArrayBuffer.isView(v) && !(v instanceof DataView);
    var isMap = v instanceof Map, isSet = v instanceof Set;
    var empty = Object.keys(v).length === 0 && (isArray || typed ? v.length === 0 : isMap || isSet ? v.size === 0 : typeof v !== 'function');
    if (level > ctx.depth && !empty) return isArray ? '[Array]' : '[' + (name || 'Object') + ']';
    ctx.seen.push(v);
    var out = [], height = 0, keys = Object.keys(v), i;
    function item(x) { var s = formatValue(ctx, x, level + 1, indent + 2); if (ctx.height >= 0 && ctx.height + 1 > height) height = ctx.height + 1; return s; }
    if (isArray || typed) {
      var shown = Math.min(v.length, 100), holes = 0;
      for (i = 0; i < shown; i++) {
        if (!isArray || Object.prototype.hasOwnProperty.call(v, i)) {
          if (holes) { out.push('<' + holes + ' empty item' + (holes > 1 ? 's' : '') + '>'); holes = 0; }
          out.push(item(v[i]));
        } else holes++;
      }
      if (holes) out.push('<' + holes + ' empty item' + (holes > 1 ? 's' : '') + '>');
      if (v.length > shown) out.push('... ' + (v.length - shown) + ' more item' + (v.length - shown > 1 ? 's' : ''));
      keys = keys.filter(function (k) { return !/^\d+$/.test(k); });
    } else if (isMap) {
      v.forEach(function (val, k) { out.push(item(k) + ' => ' + item(val)); });
    } else if (isSet) {
      v.forEach(function (val) { out.push(item(val)); });
    }
    keys = keys.concat(Object.getOwnPropertySymbols(v).filter(function (s) { return Object.getOwnPropertyDescriptor(v, s).enumerable; }));
    keys.forEach(function (k) {
      var d = Object.getOwnPropertyDescriptor(v, k), shownVal;
      if (d.get || d.set) shownVal = d.get && d.set ? '[Getter/Setter]' : d.get ? '[Getter]' : '[Setter]';
      else shownVal = item(d.value);
      out.push(keyName(k) + ': ' + shownVal);
    });
    ctx.seen.pop();
    ctx.height = height;
    var base = '', open = '{', close = '}';
    if (typeof v === 'function') base = fnName(v);
    else if (isArray) { open = '['; close = ']'; if (name !== 'Array') base = name + '(' + v.length + ')'; }
    else if (typed) { open = '['; close = ']'; base = name + '(' + v.length + ')'; }
    else if (isMap || isSet) base = name + '(' + v.size + ')';
    else if (name === null) base = '[Object: null prototype]';
    else if (name !== 'Object') base = name;
    if (!out.length) return (base ? base + ' ' : '') + open + close;
    var shownValues = isArray || typed ? Array.prototype.slice.call(v, 0, 100) : null;
    if (shownValues) shownValues.hasMore = v.length > 100 && keys.length === 0;
    return reduce(ctx, out, base, open, close, indent, height, isArray || typed, shownValues);
  }

  function inspect(v, opts) {
    var depth = opts && opts.depth !== undefined ? (opts.depth === null ? Infinity : opts.depth) : 2;
    return formatValue({ depth: depth, seen: [], height: 0 }, v, 0, 0);
  }
  inspect.custom = custom;

  function format() {
    var args = Array.prototype.slice.call(arguments), first = args[0], out = '', rest = 1;
    if (typeof first === 'string') {
      if (args.length === 1) return first;
      out = first.replace(/%([sdifjoOc%])/g, function (m, c) {
        if (c === '%') return '%';
        if (rest >= args.length) return m;
        var a = args[rest++];
        switch (c) {
          case 's': return typeof a === 'string' ? a : typeof a === 'bigint' ? a + 'n' : typeof a === 'object' && a !== null ? inspect(a, { depth: 1 }) : String(a);
          case 'd': case 'i': return typeof a === 'bigint' ? a + 'n' : String(c === 'i' ? parseInt(a) : Number(a));
          case 'f': return String(parseFloat(a));
          case 'j': try { return JSON.stringify(a); } catch (e) { return '[Circular]'; }
          case 'o': case 'O': return inspect(a, { depth: c === 'o' ? 4 : 2 });
          case 'c': return '';
        }
        return m;
      });
    } else rest = 0;
    for (; rest < args.length; rest++) {
      var a = args[rest];
      out += (out === '' && rest === 0 ? '' : ' ') + (typeof a === 'string' ? a : inspect(a));
    }
    return out;
  }

  U.util = { inspect: inspect, format: format, errorText: errorText };
})(globalThis.__unroll);
`;
