export const id = 596;
export const ids = [596];
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

/***/ 75596:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  renderPage: () => (/* binding */ renderPage)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(83916);
// EXTERNAL MODULE: ./src/notebook/explain.ts
var explain = __webpack_require__(26770);
// EXTERNAL MODULE: ./src/notebook/tokens.ts
var notebook_tokens = __webpack_require__(52335);
// EXTERNAL MODULE: ./node_modules/ansi_up/ansi_up.js
var ansi_up = __webpack_require__(42149);
// EXTERNAL MODULE: ./node_modules/markdown-it/dist/markdown-it.mjs + 12 modules
var markdown_it = __webpack_require__(90311);
// EXTERNAL MODULE: ./node_modules/sanitize-html/index.js
var sanitize_html = __webpack_require__(43595);
var sanitize_html_default = /*#__PURE__*/__webpack_require__.n(sanitize_html);
// EXTERNAL MODULE: ./src/html.ts
var html = __webpack_require__(71878);
;// CONCATENATED MODULE: ./src/page/safe-html.ts
/**
 * Notebook content as HTML that cannot act: markdown rendered by markdown-it and HTML outputs
 * cleaned by sanitize-html to formatting, tables and `data:` images (no script, frame, object,
 * form, event handler, style sheet, and no link or image that would leave the page), and
 * IPython's ANSI colours turned into spans by ansi_up, which escapes the text. The page's
 * Content-Security-Policy is the second wall: it allows inline styles and `data:` images only.
 */




/** Images the page may show: only what is inside it already. */
const DATA_IMAGE = /^data:image\/(png|jpeg|gif|webp|svg\+xml);base64,[A-Za-z0-9+/=\s]*$/i;
const POLICY = {
    allowedTags: [
        ...sanitize_html_default().defaults.allowedTags.filter(tag => tag !== 'a'),
        'a',
        'img',
        'span',
        'del',
        'ins',
        'sub',
        'sup',
        'details',
        'summary'
    ],
    allowedAttributes: {
        '*': ['title', 'align', 'colspan', 'rowspan', 'id'],
        a: ['href', 'name'],
        img: ['src', 'alt', 'width', 'height']
    },
    // Only anchors inside the page and data: images are kept; any other URL goes.
    allowedSchemes: [],
    allowedSchemesByTag: { img: ['data'] },
    allowProtocolRelative: false,
    exclusiveFilter: frame => frame.tag === 'img' && !DATA_IMAGE.test(String(frame.attribs.src ?? '')),
    transformTags: {
        a: (tagName, attribs) => {
            const { href, ...rest } = attribs;
            return { tagName, attribs: href?.startsWith('#') ? { ...rest, href } : rest };
        }
    }
};
function sanitize(html) {
    return sanitize_html_default()(html, POLICY);
}
const markdown = new markdown_it/* default */.A({ html: true, linkify: false });
function markdownToHtml(text) {
    return sanitize(markdown.render(text));
}
function ansiToHtml(text) {
    const ansi = new ansi_up/* AnsiUp */.v();
    ansi.use_classes = false;
    return ansi.ansi_to_html(text);
}

// EXTERNAL MODULE: ./src/format.ts
var format = __webpack_require__(16264);
// EXTERNAL MODULE: ./src/notebook/json-value.ts
var json_value = __webpack_require__(70807);
;// CONCATENATED MODULE: ./src/page/template.ts
/**
 * The page around the cells: a Content-Security-Policy that lets it load nothing but its own
 * inline styles and `data:` images, a header with the run, and styles for light and dark mode
 * and narrow screens. No script at all.
 */



const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";
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
`;
/** The page up to its cells. */
function pageHead(facts) {
    const title = `${facts.name} · Datalore run ${facts.runId}`;
    const name = (0,html/* escapeHtml */.Z)(facts.notebookId ?? facts.name);
    const notebook = facts.notebookUrl != null && /^https?:\/\//i.test(facts.notebookUrl)
        ? `<a href="${(0,html/* escapeHtml */.Z)(facts.notebookUrl)}">${name}</a>`
        : name;
    const rows = headerRows(facts).map(([key, value]) => `<tr><th>${key}</th><td>${value}</td></tr>`);
    return [
        '<!doctype html>',
        '<html lang="en"><head><meta charset="utf-8">',
        `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`,
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="color-scheme" content="light dark">',
        '<meta name="referrer" content="no-referrer">',
        `<title>${(0,html/* escapeHtml */.Z)(title)}</title>`,
        `<style>${STYLE}</style></head><body>`,
        `<header><h1>${(0,html/* escapeHtml */.Z)(facts.name)}</h1>`,
        `<table><tr><th>Notebook</th><td>${notebook}</td></tr>${rows.join('')}</table>`,
        parametersTable(facts),
        valuesTable(facts),
        '</header>'
    ].join('\n');
}
function pageFoot() {
    return '\n<footer class="note">Written by the Datalore run action from the executed notebook. Outputs that need a script (widgets, JavaScript) are named, not shown.</footer></body></html>\n';
}
function headerRows(facts) {
    const rows = [['Run ID', `<code>${(0,html/* escapeHtml */.Z)(facts.runId)}</code>`]];
    const firstFailure = facts.reading?.errors[0];
    const result = facts.success
        ? '<span class="ok">succeeded</span>'
        : '<span class="bad">failed</span>';
    const where = firstFailure == null
        ? ''
        : ` in <a href="#cell-${firstFailure.cell}">cell ${firstFailure.cell}</a>: <code>${(0,html/* escapeHtml */.Z)(`${firstFailure.ename}: ${firstFailure.evalue}`.slice(0, 300))}</code>`;
    rows.push(['Result', `${result}${facts.success ? '' : where}`]);
    if (facts.startTime)
        rows.push(['Started', (0,html/* escapeHtml */.Z)(facts.startTime)]);
    if (facts.endTime)
        rows.push(['Ended', (0,html/* escapeHtml */.Z)(facts.endTime)]);
    if (facts.durationSeconds != null) {
        rows.push(['Duration', (0,format/* formatDuration */.a3)(facts.durationSeconds * 1000)]);
    }
    return rows;
}
function parametersTable(facts) {
    const parameters = facts.parameters ?? [];
    if (parameters.length === 0)
        return '';
    const rows = parameters.slice(0, 100).map(p => {
        const value = typeof p.value === 'string' ? p.value : String(JSON.stringify(p.value));
        return `<tr><td>${(0,html/* escapeHtml */.Z)(p.name.slice(0, 300))}</td><td><code>${(0,html/* escapeHtml */.Z)(value.slice(0, 1000))}</code></td></tr>`;
    });
    return `<h2>Parameters</h2><table><tr><th>Name</th><th>Value</th></tr>${rows.join('')}</table>`;
}
/** Characters of a value shown in the page's header, its "..." included. */
const MAX_VALUE_SHOWN = 1000;
/** The glued values as the notebook wrote them: numbers exact (see notebook/json-value.ts). */
function valuesTable(facts) {
    const latest = new Map();
    for (const glued of facts.reading?.glued ?? []) {
        if (glued.leftOut == null)
            latest.set(glued.name, glued.data);
    }
    if (latest.size === 0)
        return '';
    const rows = [...latest].slice(0, 200).map(([name, value]) => {
        const json = (0,json_value/* writeJson */.GF)(value);
        return `<tr><td>${(0,html/* escapeHtml */.Z)(name)}</td><td><code>${(0,html/* escapeHtml */.Z)(cut(json, MAX_VALUE_SHOWN))}</code></td></tr>`;
    });
    return `<h2>Values</h2><table><tr><th>Name</th><th>Value</th></tr>${rows.join('')}</table>`;
}
/** At most `max` characters, "..." included when cut, never half of a surrogate pair. */
function cut(text, max) {
    if (text.length <= max)
        return text;
    let end = max - 3;
    if (/[\uD800-\uDBFF]/.test(text.charAt(end - 1)))
        end--;
    return `${text.slice(0, end)}...`;
}

;// CONCATENATED MODULE: ./src/page/render.ts
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






/** What is kept of a piece until its output ends; a larger piece is named, not shown. */
const CAP = {
    source: 256 * 1024,
    text: 1024 * 1024,
    html: 2 * 1024 * 1024,
    traceback: 1024 * 1024,
    json: 1024 * 1024
};
const IMAGES = {
    'image/png': 'image/png',
    'image/jpeg': 'image/jpeg',
    'image/gif': 'image/gif'
};
/** Representations shown, best first; any other is named as not shown. */
const SHOWN = [
    'text/html',
    'text/markdown',
    'image/svg+xml',
    'application/json',
    'text/latex',
    'text/plain'
];
/** Writes the page of `notebook` to `page`; says why when it could not. */
async function renderPage(notebook, page, facts, signal) {
    const out = (0,external_node_fs_.createWriteStream)(page, { flags: 'wx' });
    const renderer = new PageRenderer(facts);
    try {
        await write(out, pageHead(facts));
        for await (const tokens of (0,notebook_tokens/* notebookTokens */.y1)(notebook, signal)) {
            for (const token of tokens)
                renderer.push(token);
            await write(out, renderer.take());
        }
        await write(out, renderer.take() + pageFoot());
        await new Promise((resolve, reject) => out.end((error) => (error ? reject(error) : resolve())));
        return { written: true };
    }
    catch (error) {
        out.destroy();
        return { failed: signal?.aborted ? (0,errors/* errorMessage */.gJ)(signal.reason) : (0,errors/* errorMessage */.gJ)(error) };
    }
}
function write(out, html) {
    if (html === '')
        return Promise.resolve();
    return new Promise((resolve, reject) => {
        const onError = (error) => reject(error);
        out.once('error', onError);
        const done = () => {
            out.off('error', onError);
            resolve();
        };
        if (out.write(html))
            done();
        else
            out.once('drain', done);
    });
}
/**
 * The state machine: `frames` says where the tokens are; a string being kept goes to `keep`,
 * an image streams straight into the page, and everything else is passed over by depth.
 */
class PageRenderer extends notebook_tokens/* TokenWalker */.wR {
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
            this.json = { depth: 0, text: '', cap: CAP.json, cut: false };
            return this.keepJson(token);
        }
        if (SHOWN.includes(mime) && (token.name === 'startString' || token.name === 'startArray')) {
            const cap = mime === 'text/html' || mime === 'image/svg+xml' ? CAP.html : CAP.text;
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
            ? `<div class="markdown">${markdownToHtml(cell.source)}${cut}</div>`
            : cell.type === 'code'
                ? `<pre class="code">${(0,html/* escapeHtml */.Z)(cell.source)}</pre>${cut}`
                : `<pre class="raw">${(0,html/* escapeHtml */.Z)(cell.source)}</pre>${cut}`;
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
        const large = (what) => `<p class="note">${(0,html/* escapeHtml */.Z)(what)} is too large to show here; the notebook in the zip has it.</p>`;
        switch (output.type) {
            case 'stream': {
                const stderr = output.name === 'stderr';
                parts.push(`<pre class="stream${stderr ? ' stderr' : ''}">${(0,html/* escapeHtml */.Z)((0,explain/* stripAnsi */.aJ)(output.texts.get('text') ?? ''))}</pre>`);
                if (output.tooLarge.has('text'))
                    parts.push(large('The rest of this output'));
                break;
            }
            case 'error': {
                const traceback = output.texts.get('traceback') ??
                    `${output.texts.get('ename') ?? ''}: ${output.texts.get('evalue') ?? ''}`;
                parts.push(`<pre class="error">${ansiToHtml(traceback)}</pre>`);
                if (output.tooLarge.has('traceback'))
                    parts.push(large('The rest of this traceback'));
                break;
            }
            case 'display_data':
            case 'execute_result':
                parts.push(...this.representations(output, large));
                break;
            default:
                parts.push(`<p class="note">An output of type ${(0,html/* escapeHtml */.Z)(String(output.type))} is not shown.</p>`);
        }
        this.html.push(`<div class="output">${parts.join('')}</div>`);
    }
    /** The best representation of a display (a plot was written already, as it came). */
    representations(output, large) {
        const parts = [];
        const best = SHOWN.find(mime => output.texts.has(mime) || (mime === 'application/json' && output.json != null));
        const shown = output.imageWritten && best === 'text/plain' ? undefined : best;
        const text = shown == null ? '' : (output.texts.get(shown) ?? '');
        if (shown != null && output.tooLarge.has(shown))
            parts.push(large(`This ${shown} output`));
        else if (shown === 'text/html')
            parts.push(`<div class="html">${sanitize(text)}</div>`);
        else if (shown === 'text/markdown')
            parts.push(`<div class="markdown">${markdownToHtml(text)}</div>`);
        else if (shown === 'image/svg+xml') {
            parts.push(`<img alt="" src="data:image/svg+xml;base64,${Buffer.from(text).toString('base64')}">`);
        }
        else if (shown === 'application/json') {
            parts.push(`<pre class="json">${(0,html/* escapeHtml */.Z)(output.json ?? '')}</pre>`);
        }
        else if (shown != null)
            parts.push(`<pre class="text">${(0,html/* escapeHtml */.Z)((0,explain/* stripAnsi */.aJ)(text))}</pre>`);
        const notShown = [...new Set(output.notShown)];
        if (notShown.length > 0) {
            parts.push(`<p class="note">Not shown: ${notShown.map(m => `<code>${(0,html/* escapeHtml */.Z)(m)}</code>`).join(', ')} (this page runs no script).</p>`);
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
        };
        const comma = () => {
            if (/[^[{,:]$/.test(json.text))
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
function prettyJson(text) {
    try {
        return JSON.stringify(JSON.parse(text), null, 2);
    }
    catch {
        return text;
    }
}


/***/ })

};
