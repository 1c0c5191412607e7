/** Notebook code cells as one Python source (src/server/python/notebook.ts), as the workspace index reads them. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { notebookToPython } from "../../../src/server/python/notebook.js";

test("nbformat 4: code cells only, '# %%' before each, shell and magic lines commented out", () => {
  const nb = {
    nbformat: 4,
    cells: [
      { cell_type: "markdown", source: ["model.save('not code.h5')"] },
      { cell_type: "code", source: ["!pip install keras\n", "  %time x = 1\n", "import keras\n"] },
      { cell_type: "code", source: "m.save('a.keras')" },
      { cell_type: "raw", source: "m.save('raw.h5')" },
    ],
  };
  assert.equal(
    notebookToPython(JSON.stringify(nb)),
    "# %%\n# !pip install keras\n#   %time x = 1\nimport keras\n\n# %%\nm.save('a.keras')\n",
  );
});

test("nbformat 3 (worksheets, input) and what is not a notebook", () => {
  const v3 = { nbformat: 3, worksheets: [{ cells: [{ cell_type: "code", input: ["x = 1\n", "y = 2"] }] }] };
  assert.equal(notebookToPython(JSON.stringify(v3)), "# %%\nx = 1\ny = 2\n");
  assert.equal(notebookToPython("{ broken"), undefined);
  assert.equal(notebookToPython("[1, 2]"), undefined);
  assert.equal(notebookToPython("null"), undefined);
  assert.equal(notebookToPython(JSON.stringify({ cells: [null, 3, { cell_type: "code", source: [1, "ok"] }] })), "# %%\nok\n");
});
