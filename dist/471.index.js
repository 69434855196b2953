export const id = 471;
export const ids = [471];
export const modules = {

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


/***/ }),

/***/ 64694:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  H: () => (/* binding */ changesSection)
});

// EXTERNAL MODULE: ./src/compare/series.ts
var compare_series = __webpack_require__(12626);
// EXTERNAL MODULE: ./src/compare/show.ts
var show = __webpack_require__(31598);
// EXTERNAL MODULE: ./src/html.ts
var html = __webpack_require__(71878);
;// CONCATENATED MODULE: ./src/page/sparkline.ts

const WIDTH = 120;
const HEIGHT = 24;
/** Room for the dot and the line's width at the edges. */
const PAD = 3;
function sparkline(series) {
    const values = series.points.map(point => point.value);
    const low = Math.min(...values);
    const high = Math.max(...values);
    const step = (WIDTH - 2 * PAD) / Math.max(1, values.length - 1);
    const y = (value) => high === low ? HEIGHT / 2 : PAD + ((high - value) / (high - low)) * (HEIGHT - 2 * PAD);
    const coordinates = values.map((value, index) => [PAD + index * step, y(value)]);
    const points = coordinates.map(([px, py]) => `${round(px)},${round(py)}`).join(' ');
    const [lastX, lastY] = coordinates[coordinates.length - 1] ?? [0, 0];
    const first = series.points[0]?.value ?? 0;
    const last = series.points[series.points.length - 1]?.value ?? 0;
    const label = `${values.length} runs, from ${sparkline_short(first)} to ${sparkline_short(last)}`;
    return `<svg class="spark" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${(0,html/* escapeHtml */.Z)(label)}"><polyline points="${points}" fill="none" stroke="currentColor" stroke-width="1.5"/><circle cx="${round(lastX)}" cy="${round(lastY)}" r="2.5" fill="currentColor"/></svg>`;
}
function round(value) {
    return String(Math.round(value * 10) / 10);
}
/** A double as people read it in a label: six significant digits. */
function sparkline_short(value) {
    return String(Number(value.toPrecision(6)));
}

;// CONCATENATED MODULE: ./src/page/changes.ts




/** Rows of each table; the step's `changes` output has them all. */
const MAX_ROWS = 200;
const MAX_PATH = 300;
const MAX_SIDE = 1_000;
const HEADER = '<tr><th>Value</th><th>Baseline</th><th>This run</th><th>Change</th><th>History</th></tr>';
function changesSection(comparison) {
    const { baseline } = comparison;
    const branch = `<code>${(0,html/* escapeHtml */.Z)((0,show/* cut */.Jj)(baseline.branch, 300))}</code>`;
    const run = `workflow run ${baseline.runId}`;
    const runLink = /^https?:\/\//i.test(baseline.url)
        ? `<a href="${(0,html/* escapeHtml */.Z)(baseline.url)}">${run}</a>`
        : run;
    const { shown, folded } = (0,show/* changeTable */.Hg)(comparison);
    const series = (0,compare_series/* seriesByPath */.Mw)(comparison);
    const parts = [
        `<h2>Compared with ${branch}</h2>`,
        `<p>Baseline: ${runLink} on ${branch}, commit <code>${(0,html/* escapeHtml */.Z)((0,show/* cut */.Jj)((0,show/* shortSha */.Fu)(baseline.sha), 10))}</code>, ${(0,html/* escapeHtml */.Z)((0,show/* cut */.Jj)((0,show/* baselineDate */.y$)(baseline.createdAt), 100))}. ${(0,html/* escapeHtml */.Z)((0,show/* countsLine */.J7)(comparison))}</p>`
    ];
    if (shown.length > 0)
        parts.push(rowsTable(shown, series));
    if (folded.length > 0) {
        parts.push(`<details><summary>${folded.length} unchanged</summary>${rowsTable(folded, series)}</details>`);
    }
    return parts.join('\n');
}
function rowsTable(changes, series) {
    const rows = changes.slice(0, MAX_ROWS).map(change => {
        const row = (0,show/* changeRow */.L_)(change, MAX_SIDE);
        const side = (json) => json == null ? '' : `<code>${(0,html/* escapeHtml */.Z)(json)}</code>`;
        const history = series.get(change.path);
        return `<tr><td><code>${(0,html/* escapeHtml */.Z)((0,show/* cut */.Jj)(row.path, MAX_PATH))}</code></td><td>${side(row.baseline)}</td><td>${side(row.value)}</td><td>${(0,html/* escapeHtml */.Z)(row.change)}</td><td>${history == null ? '' : sparkline(history)}</td></tr>`;
    });
    const more = changes.length - MAX_ROWS;
    const note = more > 0
        ? `<p class="note">... and ${more} more: see the step's <code>changes</code> output.</p>`
        : '';
    return `<table>${HEADER}${rows.join('')}</table>${note}`;
}


/***/ }),

/***/ 55471:
/***/ ((module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   renderPage: () => (/* binding */ renderPage)
/* harmony export */ });
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(83916);
/* harmony import */ var _notebook_explain_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(26770);
/* harmony import */ var _notebook_tokens_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(52335);
/* harmony import */ var _safe_html_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(26962);
/* harmony import */ var _template_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(89845);
var __webpack_async_dependencies__ = __webpack_handle_async_dependencies__([_safe_html_js__WEBPACK_IMPORTED_MODULE_4__, _template_js__WEBPACK_IMPORTED_MODULE_5__]);
([_safe_html_js__WEBPACK_IMPORTED_MODULE_4__, _template_js__WEBPACK_IMPORTED_MODULE_5__] = __webpack_async_dependencies__.then ? (await __webpack_async_dependencies__)() : __webpack_async_dependencies__);
/**
 * The executed notebook as one self-contained HTML page: a header with the run, then every
 * cell with its source and outputs. It is written while the notebook's tokens stream by, so
 * neither the notebook nor the page is ever held whole: plots go from the notebook into the
 * page in pieces, and only small texts (a source, an HTML table, a traceback) are kept, capped,
 * until their output ends.
 *
 * Jupyter writes a cell's keys in sorted order, outputs before source: the page writes them as
 * they come and lets CSS show the source first.
 */






/**
 * What is kept of a piece until its output ends; a larger piece is named, not shown. HTML is
 * cleaned in one synchronous piece (about half a second a MiB at worst), so it is kept to 1 MiB;
 * an SVG only goes into the page as base64.
 */
const CAP = {
    source: 256 * 1024,
    text: 1024 * 1024,
    html: 1024 * 1024,
    svg: 2 * 1024 * 1024,
    traceback: 1024 * 1024,
    json: 1024 * 1024
};
const IMAGES = {
    'image/png': 'image/png',
    'image/jpeg': 'image/jpeg',
    'image/gif': 'image/gif'
};
/** Where a note sends the reader for what the page does not show. */
const HAS_IT = 'the notebook in the zip has it';
/** Representations shown, best first; any other is named as not shown. */
const SHOWN = [
    'text/html',
    'text/markdown',
    'image/svg+xml',
    'application/json',
    'text/latex',
    'text/plain'
];
/**
 * Writes the page of `notebook` to `page`; says why when it could not, and then leaves no part
 * of a page behind. Between batches of tokens the event loop runs: an abort (a cancel, or
 * `timeout-minutes` running out) ends it there.
 */
async function renderPage(notebook, page, facts, signal) {
    let out;
    try {
        // `wx`: a page is a new file, never one that was there (or a link planted in its place).
        out = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.open)(page, 'wx');
        const renderer = new PageRenderer(facts);
        await out.writeFile((0,_template_js__WEBPACK_IMPORTED_MODULE_5__/* .pageHead */ .sT)(facts));
        for await (const tokens of (0,_notebook_tokens_js__WEBPACK_IMPORTED_MODULE_3__/* .notebookTokens */ .y1)(notebook, signal)) {
            for (const token of tokens)
                renderer.push(token);
            await out.writeFile(renderer.take());
            signal?.throwIfAborted();
        }
        await out.writeFile(renderer.take() + (0,_template_js__WEBPACK_IMPORTED_MODULE_5__/* .pageFoot */ .un)());
        await out.close();
        return { written: true };
    }
    catch (error) {
        if (out != null) {
            await out.close().catch(() => undefined);
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.rm)(page, { force: true }).catch(() => undefined);
        }
        return { failed: signal?.aborted ? (0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .errorMessage */ .gJ)(signal.reason) : (0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .errorMessage */ .gJ)(error) };
    }
}
/**
 * The state machine: `frames` says where the tokens are; a string being kept goes to `keep`,
 * an image streams straight into the page, and everything else is passed over by depth.
 */
class PageRenderer extends _notebook_tokens_js__WEBPACK_IMPORTED_MODULE_3__/* .TokenWalker */ .wR {
    html = [];
    frames = [];
    cellNumber = 0;
    cell;
    output;
    /** The string being kept, and where it goes once it ends. */
    keep;
    /** A plot streaming into the page: only base64 characters pass. */
    image = false;
    /** An array of strings being kept as one text (a source, a stream's text, a traceback). */
    lines;
    json;
    failed;
    constructor(facts) {
        super();
        this.failed = new Set(facts.reading?.errors.map(e => e.cell));
    }
    take() {
        const html = this.html.join('');
        this.html = [];
        return html;
    }
    push(token) {
        if (this.skipped(token))
            return;
        if (this.json != null)
            return this.keepJson(token);
        if (this.image)
            return this.streamImage(token);
        if (this.keep != null)
            return this.keepString(token);
        if (this.lines != null)
            return this.keepLines(token);
        this.route(token);
    }
    value(token) {
        const where = this.frames.at(-1);
        const key = this.key;
        const container = token.name === 'startObject' || token.name === 'startArray';
        switch (where) {
            case undefined:
                return void this.frames.push('top');
            case 'top':
                if (key === 'cells' && token.name === 'startArray') {
                    this.html.push('<main>');
                    return void this.frames.push('cells');
                }
                return this.skipValue(token);
            case 'cells':
                if (token.name !== 'startObject')
                    return this.skipValue(token);
                this.cellNumber++;
                this.cell = { source: '', sourceCut: false };
                this.html.push(`<section class="cell${this.failed.has(this.cellNumber) ? ' failed' : ''}" id="cell-${this.cellNumber}"><div class="outputs">`);
                return void this.frames.push('cell');
            case 'cell':
                return this.cellValue(token, key, container);
            case 'outputs':
                if (token.name !== 'startObject')
                    return this.skipValue(token);
                this.output = { texts: new Map(), tooLarge: new Set(), imageWritten: false, notShown: [] };
                return void this.frames.push('output');
            case 'output':
                return this.outputValue(token, key);
            case 'data':
                return this.dataValue(token, key);
            default:
                return this.skipValue(token);
        }
    }
    cellValue(token, key, container) {
        const cell = this.cell;
        if (cell == null)
            return this.skipValue(token);
        if (key === 'cell_type' && token.name === 'startString') {
            return this.keepText(32, text => (cell.type = text));
        }
        if (key === 'execution_count' && token.name === 'numberValue') {
            cell.count = Number(token.value);
            return;
        }
        if (key === 'source') {
            const done = (text, cut) => {
                cell.source = text;
                cell.sourceCut = cut;
            };
            if (token.name === 'startString')
                return this.keepText(CAP.source, done);
            if (token.name === 'startArray')
                return this.startLines('', CAP.source, done);
        }
        if (key === 'outputs' && token.name === 'startArray')
            return void this.frames.push('outputs');
        if (container || token.name === 'startString')
            return this.skipValue(token);
    }
    outputValue(token, key) {
        const output = this.output;
        if (output == null)
            return this.skipValue(token);
        const text = (name) => (value, cut) => {
            output.texts.set(name, value);
            if (cut)
                output.tooLarge.add(name);
        };
        switch (key) {
            case 'output_type':
                if (token.name === 'startString')
                    return this.keepText(32, value => (output.type = value));
                break;
            case 'name':
                if (token.name === 'startString')
                    return this.keepText(32, value => (output.name = value));
                break;
            case 'ename':
            case 'evalue':
                if (token.name === 'startString')
                    return this.keepText(CAP.text, text(key));
                break;
            case 'text':
            case 'traceback': {
                const cap = key === 'traceback' ? CAP.traceback : CAP.text;
                if (token.name === 'startString')
                    return this.keepText(cap, text(key));
                // A traceback's entries are lines of their own; a text's are pieces of one text.
                if (token.name === 'startArray')
                    return this.startLines(key === 'traceback' ? '\n' : '', cap, text(key));
                break;
            }
            case 'data':
                if (token.name === 'startObject')
                    return void this.frames.push('data');
                break;
        }
        return this.skipValue(token);
    }
    /** One representation of a display or a result. */
    dataValue(token, mime) {
        const output = this.output;
        if (output == null || mime == null)
            return this.skipValue(token);
        const image = IMAGES[mime];
        if (image != null && token.name === 'startString') {
            this.html.push(`<img alt="" src="data:${image};base64,`);
            this.image = true;
            output.imageWritten = true;
            return;
        }
        if (mime === 'application/json' &&
            (token.name === 'startObject' || token.name === 'startArray')) {
            this.json = { depth: 0, text: '', last: '', cap: CAP.json, cut: false };
            return this.keepJson(token);
        }
        if (SHOWN.includes(mime) && (token.name === 'startString' || token.name === 'startArray')) {
            const cap = mime === 'text/html' ? CAP.html : mime === 'image/svg+xml' ? CAP.svg : CAP.text;
            const done = (text, cut) => {
                output.texts.set(mime, text);
                if (cut)
                    output.tooLarge.add(mime);
            };
            return token.name === 'startString'
                ? this.keepText(cap, done)
                : this.startLines('', cap, done);
        }
        if (!mime.startsWith('application/scrapbook.'))
            output.notShown.push(mime);
        return this.skipValue(token);
    }
    close() {
        const closed = this.frames.pop();
        this.key = undefined;
        if (closed === 'output')
            this.closeOutput();
        if (closed === 'cell')
            this.closeCell();
        if (closed === 'cells')
            this.html.push('</main>');
    }
    closeCell() {
        const cell = this.cell ?? { source: '', sourceCut: false };
        this.cell = undefined;
        const number = this.cellNumber;
        const cut = cell.sourceCut
            ? '<p class="note">(the source is longer; the rest is not shown)</p>'
            : '';
        const source = cell.type === 'markdown'
            ? `<div class="markdown">${markdownOrText(cell.source, 'This markdown cell')}${cut}</div>`
            : cell.type === 'code'
                ? `<pre class="code">${(0,_safe_html_js__WEBPACK_IMPORTED_MODULE_4__/* .escapeHtml */ .ZD)(cell.source)}</pre>${cut}`
                : `<pre class="raw">${(0,_safe_html_js__WEBPACK_IMPORTED_MODULE_4__/* .escapeHtml */ .ZD)(cell.source)}</pre>${cut}`;
        const prompt = cell.type === 'code'
            ? `<a class="prompt" href="#cell-${number}">[${cell.count ?? ' '}]</a>`
            : `<a class="prompt" href="#cell-${number}">${number}</a>`;
        const failed = this.failed.has(number) ? '<p class="failed-mark">This cell failed.</p>' : '';
        this.html.push(`</div><div class="source">${prompt}${failed}${source}</div></section>`);
    }
    closeOutput() {
        const output = this.output;
        this.output = undefined;
        if (output == null)
            return;
        const parts = [];
        switch (output.type) {
            case 'stream': {
                const stderr = output.name === 'stderr';
                parts.push(`<pre class="stream${stderr ? ' stderr' : ''}">${(0,_safe_html_js__WEBPACK_IMPORTED_MODULE_4__/* .escapeHtml */ .ZD)((0,_notebook_explain_js__WEBPACK_IMPORTED_MODULE_2__/* .stripAnsi */ .aJ)(output.texts.get('text') ?? ''))}</pre>`);
                if (output.tooLarge.has('text'))
                    parts.push(large('The rest of this output'));
                break;
            }
            case 'error': {
                const traceback = output.texts.get('traceback') ??
                    `${output.texts.get('ename') ?? ''}: ${output.texts.get('evalue') ?? ''}`;
                parts.push(`<pre class="error">${(0,_safe_html_js__WEBPACK_IMPORTED_MODULE_4__/* .ansiToHtml */ .cA)(traceback)}</pre>`);
                if (output.tooLarge.has('traceback'))
                    parts.push(large('The rest of this traceback'));
                break;
            }
            case 'display_data':
            case 'execute_result':
                parts.push(...this.representations(output));
                break;
            default:
                parts.push(`<p class="note">An output of type ${(0,_safe_html_js__WEBPACK_IMPORTED_MODULE_4__/* .escapeHtml */ .ZD)(String(output.type))} is not shown.</p>`);
        }
        this.html.push(`<div class="output">${parts.join('')}</div>`);
    }
    /**
     * The best representation of a display that can be shown (a plot was written already, as it
     * came); each better one that cannot is named in a note.
     */
    representations(output) {
        const parts = [];
        const present = SHOWN.filter(mime => output.texts.has(mime) || (mime === 'application/json' && output.json != null));
        for (const mime of present) {
            if (mime === 'text/plain' && output.imageWritten)
                break;
            if (output.tooLarge.has(mime)) {
                parts.push(large(`This ${mime} output`));
                continue;
            }
            const shown = representation(mime, output.texts.get(mime) ?? '', output.json);
            if ('html' in shown) {
                parts.push(shown.html);
                break;
            }
            parts.push(withheld(`This ${mime} output`, shown.withheld));
        }
        const notShown = [...new Set(output.notShown)];
        if (notShown.length > 0) {
            parts.push(`<p class="note">Not shown: ${notShown.map(m => `<code>${(0,_safe_html_js__WEBPACK_IMPORTED_MODULE_4__/* .escapeHtml */ .ZD)(m)}</code>`).join(', ')} (this page runs no script).</p>`);
        }
        return parts;
    }
    keepText(cap, done) {
        this.keep = { text: '', cap, done, cut: false };
    }
    keepString(token) {
        const keep = this.keep;
        if (keep == null)
            return;
        if (token.name === 'stringChunk') {
            if (keep.text.length + token.value.length > keep.cap) {
                keep.text += token.value.slice(0, keep.cap - keep.text.length);
                keep.cut = true;
            }
            else
                keep.text += token.value;
        }
        else if (token.name === 'endString') {
            this.keep = undefined;
            keep.done(keep.text, keep.cut);
        }
    }
    /** A list of strings kept as one text, `joiner` between them (a traceback's entries). */
    startLines(joiner, cap, done) {
        this.lines = { parts: [], joiner, cap, size: 0, cut: false, done };
    }
    keepLines(token) {
        const lines = this.lines;
        if (lines == null)
            return;
        switch (token.name) {
            case 'startString':
                if (lines.parts.length > 0 && lines.joiner !== '')
                    lines.parts.push(lines.joiner);
                return;
            case 'stringChunk':
                if (lines.size + token.value.length > lines.cap)
                    lines.cut = true;
                if (lines.size < lines.cap) {
                    const piece = token.value.slice(0, lines.cap - lines.size);
                    lines.parts.push(piece);
                    lines.size += piece.length;
                }
                return;
            case 'endArray':
                this.lines = undefined;
                return lines.done(lines.parts.join(''), lines.cut);
            case 'startObject':
            case 'startArray':
                // Not a list of strings: what was kept stands, this element is passed over.
                this.skipValue(token);
                return;
            default:
                return;
        }
    }
    /** application/json: kept as compact text and shown pretty-printed when it ends. */
    keepJson(token) {
        const json = this.json;
        if (json == null)
            return;
        const add = (text) => {
            if (json.text.length + text.length > json.cap)
                json.cut = true;
            else
                json.text += text;
            json.last = text.at(-1) ?? json.last;
        };
        // By the last character written, not by a look at the text: that would cost its length each time.
        const comma = () => {
            if (json.last !== '' && !'[{,:'.includes(json.last))
                add(',');
        };
        switch (token.name) {
            case 'startObject':
            case 'startArray':
                comma();
                add(token.name === 'startObject' ? '{' : '[');
                json.depth++;
                return;
            case 'endObject':
            case 'endArray':
                add(token.name === 'endObject' ? '}' : ']');
                if (--json.depth > 0)
                    return;
                this.json = undefined;
                if (this.output) {
                    this.output.json = json.cut ? undefined : prettyJson(json.text);
                    if (json.cut)
                        this.output.tooLarge.add('application/json');
                    this.output.texts.set('application/json', '');
                }
                return;
            case 'keyValue':
                comma();
                add(`${JSON.stringify(token.value)}:`);
                return;
            case 'startString':
                comma();
                add('"');
                return;
            case 'stringChunk':
                add(JSON.stringify(token.value).slice(1, -1));
                return;
            case 'endString':
                add('"');
                return;
            case 'numberValue':
            case 'nullValue':
            case 'trueValue':
            case 'falseValue':
                comma();
                add(String(token.value));
                return;
            default:
                return;
        }
    }
    /** Base64 characters only: nothing in a plot's string can leave the attribute. */
    streamImage(token) {
        if (token.name === 'stringChunk')
            this.html.push(token.value.replace(/[^A-Za-z0-9+/=]/g, ''));
        else if (token.name === 'endString') {
            this.html.push('">');
            this.image = false;
        }
    }
}
/** One representation of a display as HTML, or why it is not shown. */
function representation(mime, text, json) {
    switch (mime) {
        case 'text/html': {
            const shown = (0,_safe_html_js__WEBPACK_IMPORTED_MODULE_4__/* .sanitize */ .aj)(text);
            return 'html' in shown ? { html: `<div class="html">${shown.html}</div>` } : shown;
        }
        case 'text/markdown':
            return { html: `<div class="markdown">${markdownOrText(text, `This ${mime} output`)}</div>` };
        case 'image/svg+xml':
            return {
                html: `<img alt="" src="data:image/svg+xml;base64,${Buffer.from(text).toString('base64')}">`
            };
        case 'application/json':
            return { html: `<pre class="json">${(0,_safe_html_js__WEBPACK_IMPORTED_MODULE_4__/* .escapeHtml */ .ZD)(json ?? '')}</pre>` };
        default:
            return { html: `<pre class="text">${(0,_safe_html_js__WEBPACK_IMPORTED_MODULE_4__/* .escapeHtml */ .ZD)((0,_notebook_explain_js__WEBPACK_IMPORTED_MODULE_2__/* .stripAnsi */ .aJ)(text))}</pre>` };
    }
}
/** Markdown rendered; or, when it cannot be, a note saying why and its text. */
function markdownOrText(text, what) {
    const shown = (0,_safe_html_js__WEBPACK_IMPORTED_MODULE_4__/* .markdownToHtml */ .uY)(text);
    if ('html' in shown)
        return shown.html;
    return `<p class="note">${(0,_safe_html_js__WEBPACK_IMPORTED_MODULE_4__/* .escapeHtml */ .ZD)(what)} is shown as its text: ${(0,_safe_html_js__WEBPACK_IMPORTED_MODULE_4__/* .escapeHtml */ .ZD)(shown.withheld)}.</p><pre class="text">${(0,_safe_html_js__WEBPACK_IMPORTED_MODULE_4__/* .escapeHtml */ .ZD)(text)}</pre>`;
}
function withheld(what, why) {
    return `<p class="note">${(0,_safe_html_js__WEBPACK_IMPORTED_MODULE_4__/* .escapeHtml */ .ZD)(what)} is not shown: ${(0,_safe_html_js__WEBPACK_IMPORTED_MODULE_4__/* .escapeHtml */ .ZD)(why)}; ${HAS_IT}.</p>`;
}
function large(what) {
    return `<p class="note">${(0,_safe_html_js__WEBPACK_IMPORTED_MODULE_4__/* .escapeHtml */ .ZD)(what)} is too large to show here; ${HAS_IT}.</p>`;
}
function prettyJson(text) {
    try {
        return JSON.stringify(JSON.parse(text), null, 2);
    }
    catch {
        return text;
    }
}

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } });

/***/ }),

/***/ 26962:
/***/ ((module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   ZD: () => (/* reexport safe */ _html_js__WEBPACK_IMPORTED_MODULE_3__.Z),
/* harmony export */   aj: () => (/* binding */ sanitize),
/* harmony export */   cA: () => (/* binding */ ansiToHtml),
/* harmony export */   uY: () => (/* binding */ markdownToHtml)
/* harmony export */ });
/* harmony import */ var ansi_up__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(42149);
/* harmony import */ var markdown_it__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(90311);
/* harmony import */ var sanitize_html__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(43595);
/* harmony import */ var sanitize_html__WEBPACK_IMPORTED_MODULE_4___default = /*#__PURE__*/__webpack_require__.n(sanitize_html__WEBPACK_IMPORTED_MODULE_4__);
/* harmony import */ var _html_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(71878);
/* harmony import */ var _notebook_explain_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(26770);
/**
 * Notebook content as HTML that cannot act: markdown rendered by markdown-it and HTML outputs
 * cleaned by sanitize-html to formatting, tables and `data:` images (no script, frame, object,
 * form, event handler, style sheet, and no link or image that would leave the page), and
 * IPython's ANSI colours turned into spans by ansi_up. Whatever a library made of the notebook's
 * text passes the sanitizer last: ansi_up's own links (OSC 8 terminal hyperlinks) and markdown-it's
 * are checked after they were made, not only before. The page's Content-Security-Policy is the
 * second wall: it allows inline styles and `data:` images only.
 *
 * Ids and anchors. The page's own anchors are `cell-N`; an id from a notebook could capture them
 * (an output with `id="cell-3"` ahead of cell 3 takes the header's "failed in cell 3" link). So
 * every id and anchor name from a notebook is prefixed with `user-content-`, as GitHub does, and
 * a notebook's `#x` link becomes `#user-content-x`: it can reach the notebook's own anchors, never
 * the page's. A link is kept only when its target is in the same piece (the output or markdown
 * cell it is in): the page is written as the notebook streams by, so a target further down is not
 * known yet, and a link that goes nowhere is not kept.
 *
 * Bounded work. Every piece is cleaned synchronously, so each is bounded: htmlparser2 (under
 * sanitize-html) keeps its open elements in an array it shifts at the front, which makes nesting
 * quadratic (150,000 nested tags took 10-15 s), so a piece is first scanned, linearly, and one
 * nested deeper than a browser builds is not shown; markdown-it takes up to 3 ms a KiB, so
 * longer markdown is shown as text; longer tracebacks go without colour.
 */





// The parser sanitize-html uses, loaded once sanitize-html has loaded it with require(): a static
// import beside it would be a cycle to a module registry that follows both (Jest's).
const { Parser } = await Promise.resolve(/* import() */).then(__webpack_require__.bind(__webpack_require__, 49178));

/** Deeper than this is not shown: Chromium's parser stops nesting at 512 too. */
const MAX_DEPTH = 512;
/** Markdown rendered at most this long; longer is shown as its text. */
const MAX_MARKDOWN = 64 * 1024;
/** A traceback coloured at most this long; longer is shown without colour. */
const MAX_ANSI = 256 * 1024;
/** What every id and anchor name from a notebook starts with; the page's own never do. */
const CONTENT_ID_PREFIX = 'user-content-';
/** Images the page may show: only what is inside it already. */
const DATA_IMAGE = /^data:image\/(png|jpeg|gif|webp|svg\+xml);base64,[A-Za-z0-9+/=\s]*$/i;
/** What sanitize-html drops as it is: sanitize-html's own list, and `<iframe>`, whose text it would parse again. */
const TEXT_DROPPED = ['script', 'style', 'textarea', 'option', 'xmp', 'iframe'];
/** The parser options sanitize-html uses, so that the scan sees what it will see. */
const PARSER = { decodeEntities: true };
const HTML_TAGS = new Set([
    ...(sanitize_html__WEBPACK_IMPORTED_MODULE_4___default().defaults).allowedTags,
    'a',
    'img',
    'span',
    'del',
    'ins',
    'sub',
    'sup',
    'details',
    'summary'
]);
const HTML_POLICY = {
    allowedTags: [...HTML_TAGS],
    allowedAttributes: {
        '*': ['title', 'align', 'colspan', 'rowspan', 'id'],
        a: ['href', 'name'],
        img: ['src', 'alt', 'width', 'height']
    },
    // Only anchors inside the page and data: images are kept; any other URL goes.
    allowedSchemes: [],
    allowedSchemesByTag: { img: ['data'] },
    allowProtocolRelative: false,
    nonTextTags: TEXT_DROPPED
};
/** An operating system command (a title, a hyperlink), ended by BEL or ST; and one left open. */
// eslint-disable-next-line no-control-regex -- the escape character is what is matched
const OSC = /\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;
// eslint-disable-next-line no-control-regex -- the escape character is what is matched
const OSC_START = /\u001b\]/g;
/** ansi_up writes spans with these styles, and nothing else is kept of what it wrote. */
const ANSI_STYLE = /^(?:(?:color|background-color):rgb\(\d{1,3},\d{1,3},\d{1,3}\)|font-weight:bold|opacity:0\.7|font-style:italic|text-decoration:underline)(?:;(?:(?:color|background-color):rgb\(\d{1,3},\d{1,3},\d{1,3}\)|font-weight:bold|opacity:0\.7|font-style:italic|text-decoration:underline))*$/;
const ANSI_POLICY = {
    allowedTags: ['span'],
    allowedAttributes: { span: ['style'] },
    allowedSchemes: [],
    // The styles are checked whole against what ansi_up writes (below), not parsed as CSS.
    parseStyleAttributes: false,
    nonTextTags: TEXT_DROPPED,
    transformTags: {
        span: (tagName, { style }) => ({
            tagName,
            attribs: style != null && ANSI_STYLE.test(style) ? { style } : {}
        })
    }
};
/** An HTML output, cleaned. */
function sanitize(html) {
    if (nestedTooDeep(html))
        return tooDeep;
    return { html: withContentAnchors(html) };
}
const tooDeep = { withheld: `it nests elements more than ${MAX_DEPTH} deep` };
const markdown = new markdown_it__WEBPACK_IMPORTED_MODULE_1__/* ["default"] */ .A({ html: true, linkify: false });
/** Markdown, rendered and cleaned; not when longer than MAX_MARKDOWN. */
function markdownToHtml(text) {
    if (text.length > MAX_MARKDOWN)
        return tooLong;
    return sanitize(markdown.render(text));
}
const tooLong = { withheld: `it is longer than ${MAX_MARKDOWN / 1024} KiB` };
/** A traceback in its colours; longer than MAX_ANSI, without them. */
function ansiToHtml(text) {
    if (text.length > MAX_ANSI)
        return (0,_html_js__WEBPACK_IMPORTED_MODULE_3__/* .escapeHtml */ .Z)((0,_notebook_explain_js__WEBPACK_IMPORTED_MODULE_2__/* .stripAnsi */ .aJ)(text));
    const ansi = new ansi_up__WEBPACK_IMPORTED_MODULE_0__/* .AnsiUp */ .v();
    ansi.use_classes = false;
    // Operating system commands are no colour: a terminal hyperlink (OSC 8) is its text, and one
    // left open would make ansi_up wait for its end and drop the rest. What ansi_up writes is
    // cleaned all the same, so that a link it made would be its text.
    const html = ansi.ansi_to_html(text.replace(OSC, '').replace(OSC_START, ''));
    if (nestedTooDeep(html))
        return (0,_html_js__WEBPACK_IMPORTED_MODULE_3__/* .escapeHtml */ .Z)((0,_notebook_explain_js__WEBPACK_IMPORTED_MODULE_2__/* .stripAnsi */ .aJ)(text));
    return sanitize_html__WEBPACK_IMPORTED_MODULE_4___default()(html, ANSI_POLICY);
}
/**
 * Is `html` nested deeper than MAX_DEPTH, as htmlparser2 parses it? The scan stops there, so
 * it costs at most MAX_DEPTH steps a tag (the parser's own work at that depth).
 */
function nestedTooDeep(html) {
    let depth = 0;
    let tooDeep = false;
    const parser = new Parser({
        onopentagname: () => {
            if (++depth <= MAX_DEPTH)
                return;
            tooDeep = true;
            parser.pause();
        },
        onclosetag: () => void depth--
    }, PARSER);
    parser.write(html);
    if (!tooDeep)
        parser.end();
    return tooDeep;
}
/**
 * Cleans `html` with ids and anchor names prefixed and `#x` links pointed at the prefixed
 * anchors. Links are kept only when their target survived in the same piece: the targets are
 * known only once the piece is cleaned, so a piece with a link to elsewhere is cleaned twice.
 */
function withContentAnchors(html) {
    const anchors = new Set();
    const linked = new Set();
    const once = sanitize_html__WEBPACK_IMPORTED_MODULE_4___default()(html, {
        ...HTML_POLICY,
        transformTags: { '*': (tagName, attribs) => contentTag(tagName, attribs, anchors, linked) }
    });
    if ([...linked].every(target => anchors.has(target)))
        return once;
    return sanitize_html__WEBPACK_IMPORTED_MODULE_4___default()(once, {
        ...HTML_POLICY,
        transformTags: {
            a: (tagName, { href, ...rest }) => ({
                tagName,
                attribs: href != null && anchors.has(href.slice(1)) ? { ...rest, href } : rest
            })
        }
    });
}
/** One element as sanitize-html opens it: its anchors prefixed and recorded. */
function contentTag(tagName, attribs, anchors, linked) {
    // An image that would load from elsewhere goes, with no trace: as a tag not allowed.
    if (tagName === 'img' && !DATA_IMAGE.test(attribs.src ?? '')) {
        return { tagName: 'dropped-img', attribs: {} };
    }
    const { id, name, href, ...others } = attribs;
    const result = others;
    // Only an element that stays in the page is a target; anything else is dropped whole.
    const stays = HTML_TAGS.has(tagName);
    const anchor = (value) => {
        const prefixed = `${CONTENT_ID_PREFIX}${value}`;
        if (stays)
            anchors.add(prefixed);
        return prefixed;
    };
    if (id)
        result.id = anchor(id);
    if (tagName !== 'a')
        return { tagName, attribs: result };
    if (name)
        result.name = anchor(name);
    if (href?.startsWith('#') && href.length > 1) {
        result.href = `#${CONTENT_ID_PREFIX}${href.slice(1)}`;
        linked.add(result.href.slice(1));
    }
    return { tagName, attribs: result };
}

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 89845:
/***/ ((module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   sT: () => (/* binding */ pageHead),
/* harmony export */   un: () => (/* binding */ pageFoot)
/* harmony export */ });
/* unused harmony export CONTENT_SECURITY_POLICY */
/* harmony import */ var _format_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(16264);
/* harmony import */ var _notebook_json_value_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(70807);
/* harmony import */ var _changes_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(64694);
/* harmony import */ var _safe_html_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(26962);
var __webpack_async_dependencies__ = __webpack_handle_async_dependencies__([_safe_html_js__WEBPACK_IMPORTED_MODULE_2__]);
_safe_html_js__WEBPACK_IMPORTED_MODULE_2__ = (__webpack_async_dependencies__.then ? (await __webpack_async_dependencies__)() : __webpack_async_dependencies__)[0];
/**
 * The page around the cells: a Content-Security-Policy that lets it load nothing but its own
 * inline styles and `data:` images, a header with the run, and styles for light and dark mode
 * and narrow screens. No script at all.
 */




const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";
const MAX_PARAMETERS = 100;
const STYLE = `
:root { color-scheme: light dark; --fg: #1f2328; --bg: #ffffff; --muted: #59636e; --line: #d1d9e0;
  --code: #f6f8fa; --bad: #cf222e; --bad-bg: #ffebe9; --link: #0969da; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #f0f6fc; --bg: #0d1117; --muted: #9198a1; --line: #3d444d; --code: #151b23;
    --bad: #ff7b72; --bad-bg: #2d1214; --link: #4493f8; } }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 70rem; padding: 1rem; color: var(--fg); background: var(--bg);
  font: 15px/1.5 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; }
a { color: var(--link); }
header { border-bottom: 1px solid var(--line); margin-bottom: 1rem; }
h1 { font-size: 1.4rem; margin: 0.2rem 0 0.6rem; overflow-wrap: anywhere; }
table { border-collapse: collapse; margin: 0.5rem 0; display: block; overflow-x: auto; max-width: 100%; }
th, td { border: 1px solid var(--line); padding: 0.25rem 0.6rem; text-align: left; vertical-align: top; }
pre, code { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre { background: var(--code); padding: 0.6rem; overflow-x: auto; margin: 0.3rem 0; white-space: pre; }
.cell { display: flex; flex-direction: column; border-left: 3px solid transparent; padding-left: 0.6rem; margin: 1rem 0; }
.cell .source { order: 0; } .cell .outputs { order: 1; }
.cell.failed { border-left-color: var(--bad); }
.prompt { color: var(--muted); font: 12px ui-monospace, monospace; text-decoration: none; }
.failed-mark { color: var(--bad); font-weight: 600; margin: 0.2rem 0; }
.output img { max-width: 100%; height: auto; background: #fff; }
.stderr { background: var(--bad-bg); }
pre.error { background: var(--bad-bg); }
.note { color: var(--muted); font-size: 0.85rem; }
.ok { color: #1a7f37; font-weight: 600; } .bad { color: var(--bad); font-weight: 600; }
.markdown img, .html img { max-width: 100%; }
svg.spark { display: block; color: var(--link); }
details > summary { cursor: pointer; color: var(--muted); }
`;
/** The page up to its cells. */
function pageHead(facts) {
    const title = `${facts.name} · Datalore run ${facts.runId}`;
    const name = (0,_safe_html_js__WEBPACK_IMPORTED_MODULE_2__/* .escapeHtml */ .ZD)(facts.notebookId ?? facts.name);
    const notebook = facts.notebookUrl != null && /^https?:\/\//i.test(facts.notebookUrl)
        ? `<a href="${(0,_safe_html_js__WEBPACK_IMPORTED_MODULE_2__/* .escapeHtml */ .ZD)(facts.notebookUrl)}">${name}</a>`
        : name;
    const rows = headerRows(facts).map(([key, value]) => `<tr><th>${key}</th><td>${value}</td></tr>`);
    return [
        '<!doctype html>',
        '<html lang="en"><head><meta charset="utf-8">',
        `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`,
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="color-scheme" content="light dark">',
        '<meta name="referrer" content="no-referrer">',
        `<title>${(0,_safe_html_js__WEBPACK_IMPORTED_MODULE_2__/* .escapeHtml */ .ZD)(title)}</title>`,
        `<style>${STYLE}</style></head><body>`,
        `<header><h1>${(0,_safe_html_js__WEBPACK_IMPORTED_MODULE_2__/* .escapeHtml */ .ZD)(facts.name)}</h1>`,
        `<table><tr><th>Notebook</th><td>${notebook}</td></tr>${rows.join('')}</table>`,
        facts.comparison == null ? '' : (0,_changes_js__WEBPACK_IMPORTED_MODULE_1__/* .changesSection */ .H)(facts.comparison),
        parametersTable(facts),
        valuesTable(facts),
        '</header>'
    ].join('\n');
}
function pageFoot() {
    return '\n<footer class="note">Written by the Datalore run action from the executed notebook. Outputs that need a script (widgets, JavaScript) are named, not shown.</footer></body></html>\n';
}
function headerRows(facts) {
    const rows = [['Run ID', `<code>${(0,_safe_html_js__WEBPACK_IMPORTED_MODULE_2__/* .escapeHtml */ .ZD)(facts.runId)}</code>`]];
    const firstFailure = facts.reading?.errors[0];
    const result = facts.success
        ? '<span class="ok">succeeded</span>'
        : '<span class="bad">failed</span>';
    const where = firstFailure == null
        ? ''
        : ` in <a href="#cell-${firstFailure.cell}">cell ${firstFailure.cell}</a>: <code>${(0,_safe_html_js__WEBPACK_IMPORTED_MODULE_2__/* .escapeHtml */ .ZD)(shorten(`${firstFailure.ename}: ${firstFailure.evalue}`, 300))}</code>`;
    rows.push(['Result', `${result}${facts.success ? '' : where}`]);
    if (facts.startTime)
        rows.push(['Started', (0,_safe_html_js__WEBPACK_IMPORTED_MODULE_2__/* .escapeHtml */ .ZD)(facts.startTime)]);
    if (facts.endTime)
        rows.push(['Ended', (0,_safe_html_js__WEBPACK_IMPORTED_MODULE_2__/* .escapeHtml */ .ZD)(facts.endTime)]);
    if (facts.durationSeconds != null) {
        rows.push(['Duration', (0,_format_js__WEBPACK_IMPORTED_MODULE_3__/* .formatDuration */ .a3)(facts.durationSeconds * 1000)]);
    }
    return rows;
}
function parametersTable(facts) {
    const parameters = facts.parameters ?? [];
    if (parameters.length === 0)
        return '';
    const rows = parameters.slice(0, MAX_PARAMETERS).map(p => {
        const value = typeof p.value === 'string' ? p.value : String(JSON.stringify(p.value));
        return `<tr><td>${(0,_safe_html_js__WEBPACK_IMPORTED_MODULE_2__/* .escapeHtml */ .ZD)(shorten(p.name, 300))}</td><td><code>${(0,_safe_html_js__WEBPACK_IMPORTED_MODULE_2__/* .escapeHtml */ .ZD)(shorten(value, 1000))}</code></td></tr>`;
    });
    const more = parameters.length - MAX_PARAMETERS;
    const note = more > 0 ? `<p class="note">... and ${more} more parameters.</p>` : '';
    return `<h2>Parameters</h2><table><tr><th>Name</th><th>Value</th></tr>${rows.join('')}</table>${note}`;
}
/** Characters of a value shown in the page's header, its "..." included. */
const MAX_VALUE_SHOWN = 1000;
const MAX_VALUES = 200;
/** At most `max` characters, the mark of a cut included, and no character split in two. */
function shorten(text, max) {
    if (text.length <= max)
        return text;
    let end = max - CUT.length;
    if (/[\uD800-\uDBFF]/.test(text.charAt(end - 1)))
        end--;
    return `${text.slice(0, end)}${CUT}`;
}
const CUT = '...';
/** The glued values as the notebook wrote them: numbers exact (see notebook/json-value.ts). */
function valuesTable(facts) {
    const latest = new Map();
    for (const glued of facts.reading?.glued ?? []) {
        if (glued.leftOut == null)
            latest.set(glued.name, glued.data);
    }
    if (latest.size === 0)
        return '';
    const rows = [...latest].slice(0, MAX_VALUES).map(([name, value]) => {
        const json = (0,_notebook_json_value_js__WEBPACK_IMPORTED_MODULE_0__/* .writeJson */ .GF)(value);
        return `<tr><td>${(0,_safe_html_js__WEBPACK_IMPORTED_MODULE_2__/* .escapeHtml */ .ZD)(shorten(name, 300))}</td><td><code>${(0,_safe_html_js__WEBPACK_IMPORTED_MODULE_2__/* .escapeHtml */ .ZD)(shorten(json, MAX_VALUE_SHOWN))}</code></td></tr>`;
    });
    const more = latest.size - MAX_VALUES;
    const note = more > 0
        ? `<p class="note">... and ${more} more values: see the step's <code>values</code> output.</p>`
        : '';
    return `<h2>Values</h2><table><tr><th>Name</th><th>Value</th></tr>${rows.join('')}</table>${note}`;
}

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } });

/***/ })

};
