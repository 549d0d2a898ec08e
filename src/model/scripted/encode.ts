/**
 * Turns a `Reply` into the event sequence of a streamed Responses API call, with the shapes
 * and ordering the real API uses, and frames events as SSE.
 */
import type { StreamEvent } from '../../core/ports';
import { makeId, type Rng } from './rng';
import type { OutputPart, Reply } from './types';
import { makeUsage, utf8Length } from './usage';

export interface EncodeOptions {
  responseId: string;
  model: string;
  /** Unix seconds. */
  createdAt: number;
  /** Drives chunk sizes and item ids; the same seed gives the same stream. */
  rng: Rng;
  /** Whether reasoning items carry `encrypted_content` (the request included it). */
  includeEncrypted: boolean;
  /** Size of the serialized request and of its prefix shared with the previous request. */
  requestBytes: number;
  cachedBytes: number;
  /**
   * Leave out every `*.delta` event (text, reasoning summary, tool input), as some servers do:
   * items arrive whole in `output_item.added`/`.done` and the `.done` events. Ids and the
   * other events are the same as with deltas.
   */
  noDeltas?: boolean;
  /** `usage: null` in every response, as servers that do not count tokens send. */
  noUsage?: boolean;
}

type WireItem = Record<string, unknown> & { type: string };

/** The whole event sequence for `reply`, `sequence_number` from 0, ending in one terminal event. */
export function encodeReply(reply: Reply, options: EncodeOptions): StreamEvent[] {
  const events: StreamEvent[] = [];
  const emit = (type: string, fields: Record<string, unknown>) => {
    if (options.noDeltas && type.endsWith('.delta')) return;
    events.push({ type, sequence_number: events.length, ...fields });
  };
  const done: WireItem[] = [];
  let outputBytes = 0;
  let reasoningBytes = 0;

  const response = (status: string, extra: Record<string, unknown> = {}) => ({
    id: options.responseId,
    object: 'response',
    created_at: options.createdAt,
    status,
    model: options.model,
    output: done.map((item) => structuredClone(item)),
    error: null,
    incomplete_details: null,
    usage: null,
    ...extra,
  });
  const usage = () =>
    options.noUsage ? null : makeUsage({ requestBytes: options.requestBytes, cachedBytes: options.cachedBytes, outputBytes, reasoningBytes });

  emit('response.created', { response: response('in_progress') });
  emit('response.in_progress', { response: response('in_progress') });

  for (const part of reply) {
    if (part.type === 'fail') {
      emit('response.failed', {
        response: response('failed', { error: { code: part.code, message: part.message }, usage: usage() }),
      });
      return events;
    }
    if (part.type === 'incomplete') {
      emit('response.incomplete', {
        response: response('incomplete', { incomplete_details: { reason: part.reason }, usage: usage() }),
      });
      return events;
    }
    const item = encodePart(part, done.length, emit, options);
    if (part.type === 'reasoning') reasoningBytes += item.bytes;
    else outputBytes += item.bytes;
    done.push(item.item);
  }
  emit('response.completed', { response: response('completed', { usage: usage() }) });
  return events;
}

type Emit = (type: string, fields: Record<string, unknown>) => void;

function encodePart(part: OutputPart, outputIndex: number, emit: Emit, options: EncodeOptions): { item: WireItem; bytes: number } {
  const { rng } = options;
  const added = (item: WireItem) => emit('response.output_item.added', { output_index: outputIndex, item });
  const finished = (item: WireItem) => emit('response.output_item.done', { output_index: outputIndex, item: structuredClone(item) });
  const at = { output_index: outputIndex };

  switch (part.type) {
    case 'message': {
      const id = makeId('msg', rng);
      const phase = part.phase === undefined ? {} : { phase: part.phase };
      added({ id, type: 'message', status: 'in_progress', role: 'assistant', content: [], ...phase });
      const where = { item_id: id, ...at, content_index: 0 };
      emit('response.content_part.added', { ...where, part: { type: 'output_text', annotations: [], text: '' } });
      for (const delta of chunkText(part.text, rng)) emit('response.output_text.delta', { ...where, delta, logprobs: [] });
      emit('response.output_text.done', { ...where, text: part.text, logprobs: [] });
      const content = { type: 'output_text', annotations: [], text: part.text };
      emit('response.content_part.done', { ...where, part: content });
      const item = { id, type: 'message', status: 'completed', role: 'assistant', content: [content], ...phase };
      finished(item);
      return { item, bytes: utf8Length(part.text) };
    }
    case 'reasoning': {
      const id = makeId('rs', rng);
      const texts = typeof part.summary === 'string' ? (part.summary ? [part.summary] : []) : [...part.summary];
      added({ id, type: 'reasoning', summary: [] });
      texts.forEach((text, summaryIndex) => {
        const where = { item_id: id, ...at, summary_index: summaryIndex };
        emit('response.reasoning_summary_part.added', { ...where, part: { type: 'summary_text', text: '' } });
        for (const delta of chunkText(text, rng)) emit('response.reasoning_summary_text.delta', { ...where, delta });
        emit('response.reasoning_summary_text.done', { ...where, text });
        emit('response.reasoning_summary_part.done', { ...where, part: { type: 'summary_text', text } });
      });
      const encrypted = options.includeEncrypted ? (part.encrypted ?? fakeEncrypted(texts, rng)) : null;
      const item = {
        id,
        type: 'reasoning',
        summary: texts.map((text) => ({ type: 'summary_text', text })),
        encrypted_content: encrypted,
      };
      finished(item);
      return { item, bytes: texts.reduce((sum, text) => sum + utf8Length(text), 0) };
    }
    case 'function_call': {
      const id = makeId('fc', rng);
      const callId = part.callId ?? makeId('call', rng);
      const args = typeof part.arguments === 'string' ? part.arguments : JSON.stringify(part.arguments);
      added({ id, type: 'function_call', status: 'in_progress', name: part.name, call_id: callId, arguments: '' });
      for (const delta of chunkText(args, rng)) emit('response.function_call_arguments.delta', { item_id: id, ...at, delta });
      emit('response.function_call_arguments.done', { item_id: id, ...at, name: part.name, arguments: args });
      const item = { id, type: 'function_call', status: 'completed', name: part.name, call_id: callId, arguments: args };
      finished(item);
      return { item, bytes: utf8Length(args) + utf8Length(part.name) };
    }
    case 'custom_tool_call': {
      const id = makeId('ctc', rng);
      const callId = part.callId ?? makeId('call', rng);
      added({ id, type: 'custom_tool_call', status: 'in_progress', name: part.name, call_id: callId, input: '' });
      for (const delta of chunkText(part.input, rng)) emit('response.custom_tool_call_input.delta', { item_id: id, ...at, delta });
      emit('response.custom_tool_call_input.done', { item_id: id, ...at, input: part.input });
      const item = { id, type: 'custom_tool_call', status: 'completed', name: part.name, call_id: callId, input: part.input };
      finished(item);
      return { item, bytes: utf8Length(part.input) + utf8Length(part.name) };
    }
    case 'raw_item': {
      const item = structuredClone(part.item) as WireItem;
      added(structuredClone(item));
      finished(item);
      return { item, bytes: utf8Length(JSON.stringify(item)) };
    }
  }
}

/**
 * Splits `text` into delta-sized pieces like a tokenizer-driven stream: one to three words,
 * capped at 4–23 characters, never splitting a surrogate pair. Concatenation gives `text`.
 */
export function chunkText(text: string, rng: Rng): string[] {
  const chunks: string[] = [];
  let i = 0;
  while (i < text.length) {
    const words = 1 + Math.floor(rng() * 3);
    let j = i;
    for (let w = 0; w < words && j < text.length; w++) {
      while (j < text.length && isSpace(text.charCodeAt(j))) j++;
      while (j < text.length && !isSpace(text.charCodeAt(j))) j++;
    }
    const cap = 4 + Math.floor(rng() * 20);
    if (j - i > cap) j = i + cap;
    const code = text.charCodeAt(j);
    if (j < text.length && code >= 0xdc00 && code <= 0xdfff) j++;
    chunks.push(text.slice(i, j));
    i = j;
  }
  return chunks;
}

function isSpace(code: number): boolean {
  return code === 32 || code === 10 || code === 9 || code === 13;
}

/** Looks like the API's opaque reasoning blobs; only this model ever reads it back. */
function fakeEncrypted(summary: readonly string[], rng: Rng): string {
  return `gAAAAA${base64Utf8(JSON.stringify({ scripted: true, nonce: makeId('n', rng), summary }))}`;
}

/** Base64 of the UTF-8 bytes of `text`, without Node's Buffer (browser-safe). */
export function base64Utf8(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** One SSE frame: `event:` line, `data:` line (JSON, which never contains a raw newline), blank line. */
export function sseFrame(event: StreamEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}
