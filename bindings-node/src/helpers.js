// JavaScript the addon runs inside Node, for the steps that are quickest in
// JavaScript itself: each event object becomes one line of JSON text, and a
// batch of lines crosses into Rust as one string, read there by the same
// canonical reader as a line of a JSON Lines file. Evaluated once per call
// with `napi_run_script`; it sees only the global scope.
(function () {
  'use strict';

  // A BigInt has no JSON form: a safe one is written as a number, a larger
  // one as its digits in a string (which the reader then refuses by type).
  function bigints(key, value) {
    if (typeof value !== 'bigint') return value;
    const number = Number(value);
    return Number.isSafeInteger(number) ? number : String(value);
  }

  // One event as a line of JSON; `!` and a reason when it has none (a
  // cycle, or nesting beyond the engine's stack).
  function line(item) {
    let text;
    try {
      text = JSON.stringify(item);
    } catch (error) {
      try {
        text = JSON.stringify(item, bigints);
      } catch (again) {
        return '!' + String(again && again.message).replace(/\n/g, ' ');
      }
    }
    return text === undefined ? 'null' : text;
  }

  // The name of an input, for rejection locations: `Array#3`.
  function sourceName(events) {
    if (Array.isArray(events)) return 'Array';
    const tag = events[Symbol.toStringTag];
    if (typeof tag === 'string') return tag;
    const made = events.constructor && events.constructor.name;
    return made || 'iterable';
  }

  // What kind of events input this is: 'path', 'array', 'iterable',
  // 'async', or 'other'.
  function kind(events) {
    if (typeof events === 'string') return 'path';
    if (events === null || typeof events !== 'object') return 'other';
    if (Array.isArray(events)) return 'array';
    if (ArrayBuffer.isView(events)) return 'bytes';
    if (typeof events[Symbol.iterator] === 'function') return 'iterable';
    if (typeof events[Symbol.asyncIterator] === 'function') return 'async';
    return 'other';
  }

  // Takes up to `size` events from a synchronous source: [text, count].
  function takeSync(source, size) {
    const lines = [];
    if (source.array) {
      const end = Math.min(source.at + size, source.array.length);
      for (let i = source.at; i < end; i++) lines.push(line(source.array[i]));
      source.at = end;
      return [lines.join('\n'), lines.length];
    }
    while (lines.length < size) {
      const step = source.iterator.next();
      if (step.done) break;
      lines.push(line(step.value));
    }
    return [lines.join('\n'), lines.length];
  }

  // A synchronous source over an array or any iterable.
  function open(events) {
    if (Array.isArray(events)) return { array: events, at: 0 };
    return { iterator: events[Symbol.iterator]() };
  }

  // The same for an async iterable: awaits each event.
  async function takeAsync(iterator, size) {
    const lines = [];
    while (lines.length < size) {
      const step = await iterator.next();
      if (step.done) break;
      lines.push(line(step.value));
    }
    return [lines.join('\n'), lines.length];
  }

  // Feeds `events` to an evaluation on a worker thread. `push(text, count)`
  // hands over a batch and gives a promise settled when the worker takes
  // it; `finish()` gives the report's promise; `abort()` stops the worker.
  // The next batch is read while the worker evaluates the last one, and
  // never before it has taken it, so memory holds at most three batches.
  async function drive(events, size, push, finish, abort) {
    let take;
    if (typeof events[Symbol.asyncIterator] === 'function' && !Array.isArray(events)) {
      const iterator = events[Symbol.asyncIterator]();
      take = () => takeAsync(iterator, size);
    } else {
      const source = open(events);
      take = async () => takeSync(source, size);
    }
    let taken = Promise.resolve();
    try {
      for (;;) {
        const [text, count] = await take();
        await taken;
        if (count === 0) break;
        taken = push(text, count);
        if (count < size) {
          await taken;
          break;
        }
      }
    } catch (error) {
      abort();
      throw error;
    }
    return finish();
  }

  // An Error (or TypeError) with the project's code and further members.
  function fail(type, code, message, extra) {
    const error = type === 'TypeError' ? new TypeError(message) : new Error(message);
    error.code = code;
    if (extra) Object.assign(error, extra);
    return error;
  }

  // The rows of a context table as the JSON text of an array, one object
  // per line, written as events are (Dates as ISO text).
  function table(rows) {
    return '[' + rows.map((row) => line(row)).join(',\n') + ']';
  }

  // A valid Date as RFC 3339 text; undefined for anything else, '' for
  // an invalid Date.
  function isoDate(value) {
    if (!(value instanceof Date)) return undefined;
    return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  }

  return { kind, isoDate, sourceName, open, takeSync, drive, fail, table, parse: JSON.parse };
})()
