// @ts-check
/**
 * Regenerates the executed notebooks in simulator/notebooks/ with a real Jupyter kernel, so
 * that tests, the demo and the benchmark read what Jupyter really writes (nbformat 4, IPython's
 * coloured tracebacks, base64 plots, scrapbook-style glued values), not hand-written JSON.
 *
 *   node scripts/notebook-fixtures.js [name ...]
 *
 * Needs Debian's jupyter-nbconvert, python3-ipykernel, python3-matplotlib and python3-pandas
 * (apt-get install ...); the results are committed, so nothing else needs them.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const OUT = fileURLToPath(new URL('../simulator/notebooks/', import.meta.url))

/** Glue as scrapbook does, without scrapbook: a display output with its MIME type. */
const GLUE = `
import json
from IPython.display import display

def glue(name, data, encoder="json"):
    mime = "application/scrapbook.scrap.text+json" if encoder == "text" else "application/scrapbook.scrap.json+json"
    display({mime: {"name": name, "data": data, "encoder": encoder, "version": 1}}, raw=True)
`

/** @type {Record<string, string[]>} notebook name -> its code cells (markdown cells start with "md:") */
const NOTEBOOKS = {
  'success-values': [
    'md:# Sales forecast\nComputes the forecast and **glues** what it found.',
    GLUE,
    'import pandas as pd\nsales = pd.DataFrame({"month": ["2026-10", "2026-11", "2026-12"], "revenue": [1200, 1340, 1415]})\nsales',
    'import matplotlib\nmatplotlib.use("Agg")\nimport matplotlib.pyplot as plt\n%matplotlib inline\nplt.plot(sales["month"], sales["revenue"])\nplt.title("Revenue")\nplt.show()',
    'glue("accuracy", 0.5)\nglue("rows", int(len(sales)))',
    'glue("region", "EU")\nglue("months", ["2026-10", "2026-11", "2026-12"])\nglue("thresholds", {"min": 0.8, "ok": True, "note": None})',
    'glue("report", "Revenue grew 18% over the quarter.", encoder="text")',
    '# A name glued twice: the last one wins.\nglue("accuracy", 0.93)\nprint("done")'
  ],
  'failure-deep': [
    'md:# Data-quality checks',
    'def load(rows):\n    return [validate(row) for row in rows]\n\ndef validate(row):\n    return check_revenue(row["revenue"])\n\ndef check_revenue(value):\n    if value < 0:\n        raise ValueError(f"revenue must not be negative, got {value}")\n    return value',
    'print("loading")\nload([{"revenue": 10}, {"revenue": -5}])'
  ],
  'failure-middle': [
    ...Array.from({ length: 6 }, (_, i) => `step_${i + 1} = ${i + 1}\nprint("step ${i + 1}")`),
    'md:## The join',
    'orders = {"EU": 3}\norders["US"]',
    ...Array.from({ length: 5 }, (_, i) => `print("after ${i + 1}")`)
  ],
  'hostile-outputs': [
    'md:# Outputs that try to do more than show',
    `from IPython.display import HTML, SVG, Markdown, Javascript, IFrame, display
display(HTML('<script>document.title = "pwned by script"</script>'
  '<img src="x" onerror="document.title = \\'pwned by onerror\\'">'
  '<img src="https://example.com/track.png">'
  '<a href="javascript:document.title = \\'pwned by link\\'">a javascript: link</a>'
  '<iframe src="https://example.com"></iframe><object data="https://example.com/x.swf"></object>'
  '<form action="https://example.com"><input name="q"><button>send</button></form>'
  '<table><tr><th>kept</th></tr><tr><td>a table cell</td></tr></table>'))`,
    `display(SVG('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40">'
  '<script>document.title = "pwned by svg"</script>'
  '<circle cx="20" cy="20" r="18" fill="teal"/>'
  '<image href="https://example.com/x.png" width="10" height="10"/></svg>'))`,
    `display(Markdown('[a markdown link](javascript:alert(1)) ![remote](https://example.com/p.png) **bold text**'))`,
    `display(Javascript('document.title = "pwned by javascript"'))
display(IFrame("https://example.com", 300, 200))`
  ],
  'failure-hostile': [
    'md:# A notebook whose error holds text meant to be more than text',
    'raise RuntimeError("bad input\\n::add-mask::RUNNING\\n::error title=fake::looks real\\n::stop-commands::pwned\\n::set-output name=conclusion::success\\n##[error]legacy\\n\\n# Injected heading\\n![pixel](https://evil.example/p.png) <img src=x onerror=alert(1)> </code></pre></details>")'
  ]
}

/** @param {string[]} cells */
function notebook(cells) {
  return {
    cells: cells.map(text =>
      text.startsWith('md:')
        ? { cell_type: 'markdown', metadata: {}, source: text.slice(3) }
        : { cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: text }
    ),
    metadata: {
      kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' },
      language_info: { name: 'python' }
    },
    nbformat: 4,
    nbformat_minor: 5
  }
}

// `node scripts/notebook-fixtures.js [name ...]` regenerates only those.
const wanted = process.argv.slice(2)
const work = mkdtempSync(join(tmpdir(), 'notebook-fixtures-'))
try {
  for (const [name, cells] of Object.entries(NOTEBOOKS)) {
    if (wanted.length > 0 && !wanted.includes(name)) continue
    const source = join(work, `${name}.ipynb`)
    writeFileSync(source, JSON.stringify(notebook(cells), null, 1))
    execFileSync(
      'jupyter',
      ['nbconvert', '--to', 'notebook', '--execute', '--allow-errors', '--output-dir', OUT, source],
      { stdio: 'inherit', env: { ...process.env, PATH: `/usr/bin:${process.env.PATH}` } }
    )
    const size = readFileSync(join(OUT, `${name}.ipynb`)).length
    console.log(`${name}.ipynb: ${size} bytes`)
  }
} finally {
  rmSync(work, { recursive: true, force: true })
}
