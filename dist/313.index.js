export const id = 313;
export const ids = [313];
export const modules = {

/***/ 78313:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   readExecutedNotebook: () => (/* binding */ readExecutedNotebook)
/* harmony export */ });
/* unused harmony exports SCRAP_JSON, SCRAP_TEXT, LIMITS */
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(83916);
/* harmony import */ var _json_value_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(70807);
/* harmony import */ var _tokens_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(52335);
/**
 * Reads an executed notebook (nbformat 4, as Jupyter and Datalore write it) as a stream of
 * JSON tokens, keeping only what the step reports: the error outputs (with their cell's number
 * and the start of its source) and the values glued with scrapbook's convention. Everything
 * else, above all the base64 plots that make notebooks hundreds of MiB, passes through in
 * small pieces and is never held: memory stays flat whatever the file's size.
 *
 * A notebook is data from outside. Whatever it holds (not JSON, cut short, another format,
 * absurd sizes or nesting), reading it ends with a reading or with the reason it could not be
 * read, never with an exception, and every piece kept is capped.
 */



const SCRAP_JSON = 'application/scrapbook.scrap.json+json';
const SCRAP_TEXT = 'application/scrapbook.scrap.text+json';
const OUTPUT_TYPES = new Set(['stream', 'display_data', 'execute_result', 'error']);
/** What is kept of each piece: enough to explain, never enough to hurt. */
const LIMITS = {
    errors: 20,
    sourceLines: 20,
    sourceChars: 8 * 1024,
    name: 1_000,
    evalue: 16 * 1024,
    tracebackEntry: 8 * 1024,
    /** A traceback keeps its first and last entries: the call and where it broke. */
    tracebackHead: 10,
    tracebackTail: 50,
    /** A glued value larger than this (serialized, roughly) is left out whole, never cut. */
    gluedChars: 256 * 1024,
    gluedDepth: 64,
    glues: 10_000,
    cells: 1_000_000,
    outputsPerCell: 100_000
};
class Unreadable extends Error {
}
/** Reads `file`; stops early when `signal` is aborted (the reason is then the signal's). */
async function readExecutedNotebook(file, signal) {
    const reader = new NotebookTokens();
    try {
        for await (const tokens of (0,_tokens_js__WEBPACK_IMPORTED_MODULE_2__/* .notebookTokens */ .y1)(file, signal)) {
            for (const token of tokens)
                reader.push(token);
        }
        return { reading: reader.finish() };
    }
    catch (error) {
        if (signal?.aborted)
            return { unreadable: (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(signal.reason) };
        if (error instanceof Unreadable || error instanceof _tokens_js__WEBPACK_IMPORTED_MODULE_2__/* .TokenTooLong */ .cG) {
            return { unreadable: error.message };
        }
        return { unreadable: `it is not JSON, or it is cut short (${(0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(error)})` };
    }
}
/**
 * The state machine. `path` holds, for each open container the reader descends into, what it
 * is; everything else is passed over by depth alone (`skipValue`), or kept by the open `capture`.
 */
class NotebookTokens extends _tokens_js__WEBPACK_IMPORTED_MODULE_2__/* .TokenWalker */ .wR {
    path = [];
    capture;
    captureDepth = 0;
    nbformat;
    cells = 0;
    sawCells = false;
    cell;
    output;
    errors = [];
    errorCount = 0;
    glued = [];
    push(token) {
        if (this.skipped(token))
            return;
        if (this.capture != null)
            return this.keep(token);
        this.route(token);
    }
    finish() {
        if (this.nbformat !== 4) {
            throw new Unreadable(typeof this.nbformat === 'number'
                ? `it is nbformat ${this.nbformat}; the action reads nbformat 4, as Jupyter and Datalore write it`
                : 'it has no "nbformat": it is not a Jupyter notebook');
        }
        if (!this.sawCells || this.cells === 0)
            throw new Unreadable('it has no cells');
        return {
            cells: this.cells,
            errors: this.errors,
            errorCount: this.errorCount,
            glued: this.glued
        };
    }
    /** A value starts where the reader stands: descend into it, keep it, or skip it. */
    value(token) {
        const where = this.path.at(-1);
        const key = this.key;
        const isObject = token.name === 'startObject';
        const isArray = token.name === 'startArray';
        const isString = token.name === 'startString';
        const wrong = (what) => {
            throw new Unreadable(`${what} does not have the shape of nbformat 4`);
        };
        switch (where) {
            case undefined:
                if (!isObject)
                    wrong('the document');
                return void this.path.push('top');
            case 'top':
                if (key === 'cells') {
                    if (!isArray)
                        wrong('"cells"');
                    this.sawCells = true;
                    return void this.path.push('cells');
                }
                if (key === 'nbformat' && token.name === 'numberValue') {
                    this.nbformat = Number(token.value);
                    return;
                }
                return this.skipValue(token);
            case 'cells':
                if (!isObject)
                    wrong('a cell');
                if (++this.cells > LIMITS.cells)
                    throw new Unreadable(`it has more than ${LIMITS.cells} cells`);
                this.cell = { source: [], errors: [], outputs: 0 };
                return void this.path.push('cell');
            case 'cell':
                if (key === 'cell_type' && isString)
                    return this.keepText(64, text => (this.current().type = text));
                if (key === 'source')
                    return this.keepSource(token);
                if (key === 'outputs') {
                    if (!isArray)
                        wrong('"outputs" of a cell');
                    return void this.path.push('outputs');
                }
                return this.skipValue(token);
            case 'outputs':
                if (!isObject)
                    wrong('an output');
                if (++this.current().outputs > LIMITS.outputsPerCell) {
                    throw new Unreadable(`a cell has more than ${LIMITS.outputsPerCell} outputs`);
                }
                this.output = { scraps: [] };
                return void this.path.push('output');
            case 'output':
                return this.outputValue(token, key, wrong);
            case 'data':
                if (key === SCRAP_JSON || key === SCRAP_TEXT) {
                    if (!isObject)
                        wrong(`"${key}"`);
                    this.output?.scraps.push({ mime: key });
                    return void this.path.push('scrap');
                }
                return this.skipValue(token);
            case 'scrap':
                return this.scrapValue(token, key);
            default:
                return this.skipValue(token);
        }
    }
    /** A glued value: `{"name": ..., "data": ..., "encoder": ..., "version": ...}`. */
    scrapValue(token, key) {
        const scrap = this.output?.scraps.at(-1);
        if (scrap == null)
            return this.skipValue(token);
        if (key === 'name' && token.name === 'startString') {
            return this.keepText(LIMITS.name, text => (scrap.name = text));
        }
        if (key === 'encoder' && token.name === 'startString') {
            return this.keepText(64, text => (scrap.encoder = text));
        }
        if (key === 'data') {
            scrap.hasData = true;
            return this.keepJson(token, (value, leftOut) => {
                scrap.data = value;
                scrap.leftOut = leftOut;
            });
        }
        return this.skipValue(token);
    }
    outputValue(token, key, wrong) {
        const output = this.output ?? { scraps: [] };
        const isString = token.name === 'startString';
        switch (key) {
            case 'output_type':
                if (!isString)
                    wrong('"output_type"');
                return this.keepText(64, text => (output.type = text));
            case 'ename':
                if (!isString)
                    wrong('"ename"');
                return this.keepText(LIMITS.name, text => (output.ename = text));
            case 'evalue':
                if (!isString)
                    wrong('"evalue"');
                return this.keepText(LIMITS.evalue, text => (output.evalue = text));
            case 'traceback':
                if (token.name !== 'startArray')
                    wrong('"traceback"');
                output.traceback = [];
                this.captureDepth = 1;
                this.capture = { kind: 'traceback', head: [], tail: [], dropped: 0, entry: '' };
                return;
            case 'data':
                if (token.name !== 'startObject')
                    wrong('"data" of an output');
                return void this.path.push('data');
            default:
                return this.skipValue(token);
        }
    }
    /** The end of a container the reader descended into. */
    close() {
        const closed = this.path.pop();
        this.key = undefined;
        if (closed === 'output')
            this.closeOutput();
        if (closed === 'cell')
            this.closeCell();
    }
    closeOutput() {
        const output = this.output ?? { scraps: [] };
        this.output = undefined;
        if (typeof output.type !== 'string' || !OUTPUT_TYPES.has(output.type)) {
            throw new Unreadable(`an output of cell ${this.cells} has an unknown "output_type"`);
        }
        if (output.type === 'error') {
            if (typeof output.ename !== 'string' ||
                typeof output.evalue !== 'string' ||
                output.traceback == null) {
                throw new Unreadable(`the error output of cell ${this.cells} lacks "ename", "evalue" or "traceback"`);
            }
            this.errorCount++;
            if (this.errors.length < LIMITS.errors) {
                const error = {
                    cell: this.cells,
                    ename: output.ename,
                    evalue: output.evalue,
                    traceback: output.traceback,
                    source: []
                };
                this.errors.push(error);
                this.current().errors.push(error);
            }
        }
        if (output.type === 'display_data' || output.type === 'execute_result') {
            for (const scrap of output.scraps)
                this.glue(scrap);
        }
    }
    closeCell() {
        const cell = this.current();
        this.cell = undefined;
        if (typeof cell.type !== 'string')
            throw new Unreadable(`cell ${this.cells} has no "cell_type"`);
        for (const error of cell.errors)
            error.source = cell.source;
    }
    glue(scrap) {
        if (scrap.name == null || scrap.name === '' || scrap.hasData !== true) {
            throw new Unreadable(`a glued value in cell ${this.cells} has no "name" or "data"`);
        }
        if (this.glued.length >= LIMITS.glues) {
            throw new Unreadable(`it glues more than ${LIMITS.glues} values`);
        }
        const encoder = scrap.encoder ?? (scrap.mime === SCRAP_TEXT ? 'text' : 'json');
        const leftOut = scrap.leftOut ??
            (encoder !== 'json' && encoder !== 'text'
                ? `its encoder ${JSON.stringify(encoder)} is not "json" or "text"`
                : encoder === 'text' && typeof scrap.data !== 'string'
                    ? 'a text glue whose data is not a string'
                    : undefined);
        this.glued.push({
            name: scrap.name,
            data: leftOut == null ? scrap.data : undefined,
            encoder,
            ...(leftOut == null ? {} : { leftOut })
        });
    }
    current() {
        return this.cell ?? { source: [], errors: [], outputs: 0 };
    }
    keepText(max, set) {
        this.captureDepth = 1;
        this.capture = { kind: 'text', max, text: '', set };
    }
    keepSource(token) {
        const cell = this.current();
        const set = (lines) => {
            cell.source = lines;
        };
        if (token.name !== 'startString' && token.name !== 'startArray') {
            throw new Unreadable(`the "source" of cell ${this.cells} is neither text nor a list of lines`);
        }
        this.captureDepth = 1;
        this.capture = { kind: 'lines', parts: [], chars: 0, set };
    }
    keepJson(token, set) {
        this.capture = { kind: 'json', stack: [], keys: [], chars: 0, set };
        this.captureDepth = 0;
        this.keep(token);
    }
    /** A token inside a kept value. */
    keep(token) {
        const capture = this.capture;
        if (capture == null)
            return;
        const opens = token.name === 'startObject' || token.name === 'startArray' || token.name === 'startString';
        const closes = token.name === 'endObject' || token.name === 'endArray' || token.name === 'endString';
        if (opens)
            this.captureDepth++;
        if (closes)
            this.captureDepth--;
        switch (capture.kind) {
            case 'text':
                if (token.name === 'stringChunk' && capture.text.length < capture.max) {
                    capture.text += token.value.slice(0, capture.max - capture.text.length);
                }
                break;
            case 'lines':
                this.keepLines(capture, token);
                break;
            case 'traceback':
                this.keepTraceback(capture, token);
                break;
            case 'json':
                this.keepJsonToken(capture, token);
                break;
        }
        if (this.captureDepth > 0)
            return;
        this.capture = undefined;
        this.key = undefined;
        switch (capture.kind) {
            case 'text':
                return capture.set(capture.text);
            case 'lines':
                return capture.set(capture.parts.join('').split('\n').slice(0, LIMITS.sourceLines));
            case 'traceback': {
                const skipped = capture.dropped > 0 ? [`... (${capture.dropped} more entries)`] : [];
                if (this.output)
                    this.output.traceback = [...capture.head, ...skipped, ...capture.tail];
                return;
            }
            case 'json':
                return capture.set(capture.stack[0], capture.leftOut);
        }
    }
    keepLines(capture, token) {
        if (token.name === 'stringChunk') {
            const piece = token.value.slice(0, LIMITS.sourceChars - capture.chars);
            capture.parts.push(piece);
            capture.chars += piece.length;
        }
        else if (token.name !== 'startString' &&
            token.name !== 'endString' &&
            token.name !== 'endArray') {
            throw new Unreadable(`the "source" of cell ${this.cells} is neither text nor a list of lines`);
        }
    }
    keepTraceback(capture, token) {
        switch (token.name) {
            case 'stringChunk':
                if (capture.entry.length < LIMITS.tracebackEntry) {
                    capture.entry += token.value.slice(0, LIMITS.tracebackEntry - capture.entry.length);
                }
                return;
            case 'endString':
                if (capture.head.length < LIMITS.tracebackHead)
                    capture.head.push(capture.entry);
                else {
                    capture.tail.push(capture.entry);
                    if (capture.tail.length > LIMITS.tracebackTail) {
                        capture.tail.shift();
                        capture.dropped++;
                    }
                }
                capture.entry = '';
                return;
            case 'startString':
            case 'endArray':
                return;
            default:
                throw new Unreadable(`the "traceback" of cell ${this.cells} is not a list of text`);
        }
    }
    /** Builds a glued JSON value with an explicit stack, within its size and depth limits. */
    keepJsonToken(capture, token) {
        if (capture.leftOut != null)
            return;
        const put = (value) => {
            const parent = capture.stack.at(-1);
            if (Array.isArray(parent))
                parent.push(value);
            else if (parent != null && typeof parent === 'object' && capture.key != null) {
                ;
                parent[capture.key] = value;
            }
            else if (capture.stack.length === 0)
                capture.stack.push(value);
        };
        const grow = (chars) => {
            capture.chars += chars;
            if (capture.chars > LIMITS.gluedChars) {
                capture.leftOut = `it is larger than ${LIMITS.gluedChars / 1024} KiB`;
            }
        };
        switch (token.name) {
            case 'startObject':
            case 'startArray': {
                if (capture.stack.length >= LIMITS.gluedDepth) {
                    capture.leftOut = `it is nested deeper than ${LIMITS.gluedDepth} levels`;
                    return;
                }
                const container = token.name === 'startArray' ? [] : Object.create(null);
                const isRoot = capture.stack.length === 0;
                if (!isRoot)
                    put(container);
                capture.keys.push(capture.key);
                capture.stack.push(container);
                capture.key = undefined;
                return grow(2);
            }
            case 'endObject':
            case 'endArray': {
                const done = capture.stack.length > 1 ? capture.stack.pop() : undefined;
                capture.key = capture.keys.pop();
                void done;
                return;
            }
            case 'keyValue':
                capture.key = token.value;
                return grow(token.value.length + 4);
            case 'startString':
                capture.string = '';
                return;
            case 'stringChunk':
                capture.string = (capture.string ?? '') + token.value;
                return grow(token.value.length);
            case 'endString':
                put(capture.string ?? '');
                capture.string = undefined;
                return grow(2);
            case 'numberValue':
                put(new _json_value_js__WEBPACK_IMPORTED_MODULE_1__/* .JsonNumber */ .WP(token.value));
                return grow(token.value.length);
            case 'nullValue':
            case 'trueValue':
            case 'falseValue':
                put(token.value);
                return grow(5);
            default:
                return;
        }
    }
}


/***/ }),

/***/ 52335:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   cG: () => (/* binding */ TokenTooLong),
/* harmony export */   wR: () => (/* binding */ TokenWalker),
/* harmony export */   y1: () => (/* binding */ notebookTokens)
/* harmony export */ });
/* unused harmony export MAX_PACKED */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var stream_chain_defs_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(41008);
/* harmony import */ var stream_json_core_parser_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(35879);
/**
 * An executed notebook as a stream of JSON tokens (stream-json's bare tokenizer): strings come
 * in pieces of at most 256 characters, so nothing of the file, however large a string in it,
 * is ever held whole. Keys and numbers also arrive in pieces, and are put together here into
 * one `keyValue` or `numberValue` token each, up to MAX_PACKED characters: a longer one ends
 * the walk (TokenTooLong), so no token, however the file is made, holds more than that. The
 * reader and the page renderer both walk these tokens.
 */



/**
 * The longest key or number put together, in characters: as much as the largest glued value
 * the reader keeps. No notebook writer makes a longer one (Python refuses to print an integer
 * of more than 4,300 digits); a file that holds one is refused, not read into memory.
 */
const MAX_PACKED = 256 * 1024;
/** A key or a number longer than MAX_PACKED: its message says which, for a person. */
class TokenTooLong extends Error {
    constructor(what) {
        super(`it holds a${what === 'key' ? ' key' : ' number'} of more than ${MAX_PACKED} characters, which no notebook writer makes`);
        this.name = 'TokenTooLong';
    }
}
/**
 * The tokens of `file`, a batch per 64 KiB read. Throws when the file is not JSON or is cut
 * short (at the end), TokenTooLong for a key or number past MAX_PACKED, and with the signal's
 * reason when it is aborted.
 */
async function* notebookTokens(file, signal) {
    // Nothing packed by the tokenizer: it would hold a key or a number whole, however long.
    const tokenize = (0,stream_json_core_parser_js__WEBPACK_IMPORTED_MODULE_2__/* .jsonParser */ .Q$)({
        packKeys: false,
        packStrings: false,
        packNumbers: false,
        streamKeys: true,
        streamNumbers: true
    });
    const pack = packer();
    const batch = (result) => result === stream_chain_defs_js__WEBPACK_IMPORTED_MODULE_1__/* .none */ .dv ? [] : pack((0,stream_chain_defs_js__WEBPACK_IMPORTED_MODULE_1__/* .getManyValues */ .kS)(result));
    let first = true;
    const stream = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.createReadStream)(file, { encoding: 'utf8', highWaterMark: 64 * 1024, signal });
    for await (const chunk of stream) {
        const text = chunk;
        // The tokenizer refuses a byte-order mark, which some editors write.
        yield batch(tokenize(first && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text));
        first = false;
    }
    // Flushing with `none` ends the input: a document cut short fails here.
    yield batch(tokenize(stream_chain_defs_js__WEBPACK_IMPORTED_MODULE_1__/* .none */ .dv));
}
/**
 * Puts each key's and each number's pieces together into one token, across batches, as the
 * tokenizer's own packing would, but never past MAX_PACKED. Everything else passes as it is.
 */
function packer() {
    let packing;
    return tokens => {
        const packed = [];
        for (const token of tokens) {
            switch (token.name) {
                case 'startKey':
                case 'startNumber':
                    packing = { what: token.name === 'startKey' ? 'key' : 'number', pieces: [], length: 0 };
                    continue;
                case 'stringChunk':
                case 'numberChunk':
                    if (packing == null)
                        break;
                    packing.length += token.value.length;
                    if (packing.length > MAX_PACKED)
                        throw new TokenTooLong(packing.what);
                    packing.pieces.push(token.value);
                    continue;
                case 'endKey':
                case 'endNumber': {
                    const value = packing?.pieces.join('') ?? '';
                    packed.push(token.name === 'endKey' ? { name: 'keyValue', value } : { name: 'numberValue', value });
                    packing = undefined;
                    continue;
                }
            }
            packed.push(token);
        }
        return packed;
    };
}
const opens = (token) => token.name === 'startObject' || token.name === 'startArray' || token.name === 'startString';
const ends = (token) => token.name === 'endObject' || token.name === 'endArray' || token.name === 'endString';
/**
 * What walking a notebook's tokens always takes: the key an object's next value belongs to,
 * the start of a value, the end of a container, and passing over a value (strings included,
 * piece by piece) by depth alone. A subclass says what a value means where it starts.
 */
class TokenWalker {
    key;
    skipping = 0;
    /** Is a value being passed over? Then this token is part of it. */
    skipped(token) {
        if (this.skipping === 0)
            return false;
        if (opens(token))
            this.skipping++;
        if (ends(token))
            this.skipping--;
        return true;
    }
    route(token) {
        switch (token.name) {
            case 'keyValue':
                this.key = token.value;
                return;
            case 'endObject':
            case 'endArray':
                return this.close();
            case 'startObject':
            case 'startArray':
            case 'startString':
            case 'numberValue':
            case 'nullValue':
            case 'trueValue':
            case 'falseValue':
                return this.value(token);
            default:
                return;
        }
    }
    /** Passes over the value that starts with `token` (a scalar is over already). */
    skipValue(token) {
        if (opens(token))
            this.skipping = 1;
    }
}


/***/ })

};
