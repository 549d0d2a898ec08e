/**
 * Guest JavaScript (runs inside QuickJS): Node's `Buffer` (a Uint8Array subclass) with the
 * utf8, hex, base64, base64url, latin1/binary, ascii and utf16le encodings, plus
 * `TextEncoder`/`TextDecoder` (UTF-8), `atob`/`btoa`, and the `buffer` built-in.
 * Plain ES2020 in a string (no backticks, no `${`).
 */
export const GUEST_BUFFER = String.raw`
(function (U) {
  'use strict';
  var B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  var B64_INDEX = {};
  for (var k = 0; k < 64; k++) B64_INDEX[B64[k]] = k;
  B64_INDEX['-'] = 62; B64_INDEX._ = 63;

  function utf8Encode(s) {
    var out = [];
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
        var d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d < 0xe000) { c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00); i++; } else c = 0xfffd;
      } else if (c >= 0xd800 && c < 0xe000) c = 0xfffd;
      if (c < 0x80) out.push(c);
      else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
      else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
      else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    }
    return out;
  }
  function utf8Decode(bytes, start, end) {
    var s = '', i = start;
    while (i < end) {
      var b = bytes[i], need = b < 0x80 ? 0 : b >= 0xf0 && b < 0xf5 ? 3 : b >= 0xe0 ? 2 : b >= 0xc2 && b < 0xe0 ? 1 : -1;
      if (need < 0 || i + need >= end) { s += '\ufffd'; i++; continue; }
      var c = need === 0 ? b : b & (0x3f >> need), ok = true;
      for (var j = 1; j <= need; j++) {
        var n = bytes[i + j];
        if ((n & 0xc0) !== 0x80) { ok = false; break; }
        c = (c << 6) | (n & 63);
      }
      if (!ok || (need === 2 && c < 0x800) || (need === 3 && (c < 0x10000 || c > 0x10ffff)) || (c >= 0xd800 && c < 0xe000)) { s += '\ufffd'; i++; continue; }
      s += String.fromCodePoint(c);
      i += need + 1;
    }
    return s;
  }
  function b64Encode(bytes, start, end, url) {
    var s = '', i;
    for (i = start; i + 2 < end; i += 3) {
      var n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
      s += B64[n >> 18] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63] + B64[n & 63];
    }
    var rest = end - i;
    if (rest === 1) s += B64[bytes[i] >> 2] + B64[(bytes[i] & 3) << 4] + (url ? '' : '==');
    else if (rest === 2) { var m = (bytes[i] << 8) | bytes[i + 1]; s += B64[m >> 10] + B64[(m >> 4) & 63] + B64[(m & 15) << 2] + (url ? '' : '='); }
    return url ? s.replace(/\+/g, '-').replace(/\//g, '_') : s;
  }
  function b64Decode(s) {
    var out = [], bits = 0, value = 0;
    for (var i = 0; i < s.length; i++) {
      var v = B64_INDEX[s[i]];
      if (v === undefined) { if (s[i] === '=') break; continue; }
      value = (value << 6) | v; bits += 6;
      if (bits >= 8) { bits -= 8; out.push((value >> bits) & 255); }
    }
    return out;
  }
  function normEncoding(enc) {
    var e = String(enc === undefined || enc === null ? 'utf8' : enc).toLowerCase();
    if (e === 'utf-8') return 'utf8';
    if (e === 'binary') return 'latin1';
    if (e === 'ucs2' || e === 'ucs-2' || e === 'utf-16le') return 'utf16le';
    if (['utf8', 'hex', 'base64', 'base64url', 'latin1', 'ascii', 'utf16le'].indexOf(e) < 0) {
      var err = new TypeError('Unknown encoding: ' + enc);
      err.code = 'ERR_UNKNOWN_ENCODING';
      throw err;
    }
    return e;
  }
  function encode(s, enc) {
    switch (normEncoding(enc)) {
      case 'utf8': return utf8Encode(s);
      case 'hex': {
        var out = [];
        for (var i = 0; i + 1 < s.length; i += 2) { var n = parseInt(s.substr(i, 2), 16); if (isNaN(n)) break; out.push(n); }
        return out;
      }
      case 'base64': case 'base64url': return b64Decode(s);
      case 'utf16le': {
        var w = [];
        for (var j = 0; j < s.length; j++) { var c = s.charCodeAt(j); w.push(c & 255, c >> 8); }
        return w;
      }
      default: {
        var l = [];
        for (var q = 0; q < s.length; q++) l.push(s.charCodeAt(q) & 255);
        return l;
      }
    }
  }

  class Buffer extends Uint8Array {
    static from(value, encOrOffset, length) {
      if (typeof value === 'string') return new Buffer(encode(value, encOrOffset));
      if (value instanceof ArrayBuffer) return new Buffer(value, encOrOffset || 0, length === undefined ? value.byteLength - (encOrOffset || 0) : length);
      if (ArrayBuffer.isView(value)) return new Buffer(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
      if (value && typeof value === 'object' && value.type === 'Buffer' && Array.isArray(value.data)) return new Buffer(value.data);
      if (value && typeof value === 'object' && typeof value.length === 'number') return new Buffer(Array.prototype.slice.call(value));
      var e = new TypeError('The first argument must be of type string or an instance of Buffer, ArrayBuffer, or Array or an Array-like Object. Received ' + U.util.inspect(value));
      e.code = 'ERR_INVALID_ARG_TYPE';
      throw e;
    }
    static alloc(size, fill, enc) { var b = new Buffer(size); if (fill !== undefined && fill !== 0) b.fill(fill, 0, size, enc); return b; }
    static allocUnsafe(size) { return new Buffer(size); }
    static allocUnsafeSlow(size) { return new Buffer(size); }
    static isBuffer(v) { return v instanceof Buffer; }
    static isEncoding(enc) { try { normEncoding(enc); return true; } catch (e) { return false; } }
    static byteLength(v, enc) { return typeof v === 'string' ? encode(v, enc).length : v.byteLength; }
    static concat(list, total) {
      if (total === undefined) total = list.reduce(function (n, b) { return n + b.length; }, 0);
      var out = Buffer.alloc(total), at = 0;
      for (var i = 0; i < list.length && at < total; i++) { var b = list[i].subarray(0, total - at); out.set(b, at); at += b.length; }
      return out;
    }
    static compare(a, b) { return a.compare(b); }
    toString(enc, start, end) {
      start = Math.max(0, start | 0); end = end === undefined ? this.length : Math.min(this.length, end | 0);
      if (end <= start) return '';
      switch (normEncoding(enc)) {
        case 'utf8': return utf8Decode(this, start, end);
        case 'hex': { var h = ''; for (var i = start; i < end; i++) h += (this[i] < 16 ? '0' : '') + this[i].toString(16); return h; }
        case 'base64': return b64Encode(this, start, end, false);
        case 'base64url': return b64Encode(this, start, end, true);
        case 'ascii': { var a = ''; for (var j = start; j < end; j++) a += String.fromCharCode(this[j] & 127); return a; }
        case 'utf16le': { var u = ''; for (var q = start; q + 1 < end; q += 2) u += String.fromCharCode(this[q] | (this[q + 1] << 8)); return u; }
        default: { var l = ''; for (var r = start; r < end; r++) l += String.fromCharCode(this[r]); return l; }
      }
    }
    toJSON() { return { type: 'Buffer', data: Array.prototype.slice.call(this) }; }
    equals(other) { return this.compare(other) === 0; }
    compare(other) {
      var n = Math.min(this.length, other.length);
      for (var i = 0; i < n; i++) if (this[i] !== other[i]) return this[i] < other[i] ? -1 : 1;
      return this.length === other.length ? 0 : this.length < other.length ? -1 : 1;
    }
    subarray(start, end) { var v = Uint8Array.prototype.subarray.call(this, start, end); return new Buffer(v.buffer, v.byteOffset, v.length); }
    slice(start, end) { return this.subarray(start, end); }
    write(s, offset, length, enc) {
      if (typeof offset === 'string') { enc = offset; offset = 0; length = undefined; }
      else if (typeof length === 'string') { enc = length; length = undefined; }
      offset = offset | 0;
      var bytes = encode(String(s), enc), n = Math.min(bytes.length, this.length - offset, length === undefined ? Infinity : length);
      for (var i = 0; i < n; i++) this[offset + i] = bytes[i];
      return n;
    }
    fill(value, start, end, enc) {
      if (typeof start === 'string') { enc = start; start = 0; end = this.length; }
      start = start === undefined ? 0 : start; end = end === undefined ? this.length : end;
      if (typeof value === 'number') return Uint8Array.prototype.fill.call(this, value & 255, start, end);
      var bytes = typeof value === 'string' ? encode(value, enc) : Array.prototype.slice.call(value);
      if (!bytes.length) return Uint8Array.prototype.fill.call(this, 0, start, end);
      for (var i = start, j = 0; i < end; i++, j = (j + 1) % bytes.length) this[i] = bytes[j];
      return this;
    }
    indexOf(value, from, enc) {
      if (typeof value === 'number') return Uint8Array.prototype.indexOf.call(this, value, from);
      var needle = typeof value === 'string' ? encode(value, enc) : value;
      outer: for (var i = from | 0; i + needle.length <= this.length; i++) {
        for (var j = 0; j < needle.length; j++) if (this[i + j] !== needle[j]) continue outer;
        return i;
      }
      return -1;
    }
    includes(value, from, enc) { return this.indexOf(value, from, enc) !== -1; }
    readUInt8(o) { return this[o | 0]; }
    readUInt16LE(o) { o = o | 0; return this[o] | (this[o + 1] << 8); }
    readUInt16BE(o) { o = o | 0; return (this[o] << 8) | this[o + 1]; }
    readUInt32LE(o) { o = o | 0; return (this[o] | (this[o + 1] << 8) | (this[o + 2] << 16)) + this[o + 3] * 0x1000000; }
    readUInt32BE(o) { o = o | 0; return this[o] * 0x1000000 + ((this[o + 1] << 16) | (this[o + 2] << 8) | this[o + 3]); }
    readInt8(o) { var v = this[o | 0]; return v > 127 ? v - 256 : v; }
    readInt32LE(o) { o = o | 0; return this[o] | (this[o + 1] << 8) | (this[o + 2] << 16) | (this[o + 3] << 24); }
    writeUInt8(v, o) { this[o | 0] = v; return (o | 0) + 1; }
    writeUInt16LE(v, o) { o = o | 0; this[o] = v & 255; this[o + 1] = (v >> 8) & 255; return o + 2; }
    writeUInt32LE(v, o) { o = o | 0; for (var i = 0; i < 4; i++) this[o + i] = (v >>> (8 * i)) & 255; return o + 4; }
    writeUInt32BE(v, o) { o = o | 0; for (var i = 0; i < 4; i++) this[o + i] = (v >>> (24 - 8 * i)) & 255; return o + 4; }
  }
  Buffer.poolSize = 8192;
  U.Buffer = Buffer;
  globalThis.Buffer = Buffer;

  class TextEncoder {
    get encoding() { return 'utf-8'; }
    encode(s) { return new Uint8Array(utf8Encode(String(s === undefined ? '' : s))); }
  }
  class TextDecoder {
    constructor(label) { if (label !== undefined && normEncoding(label) !== 'utf8') throw new RangeError('The "' + label + '" encoding is not supported'); }
    get encoding() { return 'utf-8'; }
    decode(v) {
      if (v === undefined) return '';
      var bytes = v instanceof ArrayBuffer ? new Uint8Array(v) : new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
      return utf8Decode(bytes, 0, bytes.length);
    }
  }
  globalThis.TextEncoder = TextEncoder;
  globalThis.TextDecoder = TextDecoder;
  globalThis.btoa = function (s) { return Buffer.from(String(s), 'latin1').toString('base64'); };
  globalThis.atob = function (s) { return Buffer.from(String(s), 'base64').toString('latin1'); };
  U.builtins.buffer = { Buffer: Buffer, constants: { MAX_LENGTH: 0x7fffffff }, kMaxLength: 0x7fffffff };
  U.builtins.util.TextEncoder = TextEncoder;
  U.builtins.util.TextDecoder = TextDecoder;
})(globalThis.__unroll);
`;
