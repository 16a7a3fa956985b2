// Browser test: a secretary writes their report in Word. The demo's reports are all accepted and its
// cycles past preparation, so the admin first opens a cycle of its own through the API (one report, for
// 城关镇, a draft); python-docx (the project's own .venv) writes a .docx with headings, a list and a
// table. 城关镇's secretary types a line, imports the document (confirming the text is replaced), and the
// page shows its headings and table rendered and the original among the attachments; an old .doc is
// refused before it is sent, saying to save it as .docx.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { adminToken, api, launchBrowser, login, newPage, screenshot } from './helpers.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PYTHON = process.env.E2E_PYTHON ?? join(ROOT, '.venv', 'bin', 'python');
const CYCLE = '2026年上半年城关镇党委书记述职（导入演练）';
const ORG = '410326101';
const SECRETARY = { username: `s${ORG}`, password: 'shuping-demo' };
const HEADINGS = ['城关镇党委书记抓基层党建工作述职报告', '一、履行第一责任人职责情况', '（一）压实党建责任', '二、存在的问题'];

// python-docx writes what Word writes: heading styles, a bulleted list, a table.
const WRITE_DOCX = `
import sys
import docx
d = docx.Document()
d.add_heading(${JSON.stringify(HEADINGS[0])}, level=1)
d.add_paragraph("一年来，镇党委认真履行抓基层党建工作第一责任人职责。")
d.add_heading(${JSON.stringify(HEADINGS[1])}, level=2)
d.add_heading(${JSON.stringify(HEADINGS[2])}, level=3)
d.add_paragraph("召开党建工作专题会议 4 次", style="List Bullet")
d.add_paragraph("整顿软弱涣散村党组织 2 个", style="List Bullet")
t = d.add_table(rows=2, cols=2)
for r, row in enumerate([["村", "党员数"], ["东关村", "86"]]):
    for c, text in enumerate(row):
        t.rows[r].cells[c].text = text
d.add_heading(${JSON.stringify(HEADINGS[3])}, level=2)
d.add_paragraph("个别村班子分工不够明确。")
d.save(sys.argv[1])
`;

let browser;
let token;
let reportId;
let dir;
let docxPath;
let docPath;

/** The rubric, groups and one report of a cycle in preparation, imported as the admin would. */
function cycleDocument() {
  return {
    name: CYCLE,
    host_org_code: '410326',
    period_start: '2026-01-01',
    period_end: '2026-06-30',
    rubric: {
      name: '述职报告导入演练测评表',
      items: [{ key: 'overall', title: '总体评价', category: '总体评价', source: 'ballot', kind: 'tier', max_points: 100 }],
    },
    groups: [{ key: 'leaders', name: '上级领导', weight: '1', aggregation: 'mean', anonymous: false, expected: 3, quorum: 1 }],
    reports: [{ org_code: ORG }],
  };
}

before(async () => {
  browser = await launchBrowser();
  token = await adminToken();
  const cycles = await api('/cycles?limit=500', { token });
  const existing = cycles.data.items.find((c) => c.name === CYCLE);
  if (existing) {
    // A second run on the same server: the cycle's report is still a draft.
    const reports = await api(`/reports?cycle_id=${existing.id}`, { token });
    reportId = reports.data.items[0].id;
  } else {
    const imported = await api('/cycles/import', { token, method: 'POST', body: cycleDocument() });
    assert.equal(imported.status, 201, JSON.stringify(imported.data));
    reportId = imported.data.reports[0].id;
  }
  dir = await mkdtemp(join(tmpdir(), 'shuping-word-'));
  docxPath = join(dir, '城关镇述职报告.docx');
  execFileSync(PYTHON, ['-c', WRITE_DOCX, docxPath]);
  docPath = join(dir, '旧版述职报告.doc');
  await writeFile(docPath, Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(504)]));
});

after(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('Word reports', () => {
  test('a secretary imports a .docx: the page shows its headings and table, and keeps the original', async () => {
    const { context, page, errors } = await newPage(browser);
    try {
      await login(page, SECRETARY);
      await page.goto(`/reports/${reportId}`);
      await page.getByTestId('report-editor').waitFor();
      const wordInput = page.getByTestId('word-import').locator('input[type="file"]');

      // An old .doc never leaves the browser: the secretary is told to save it as .docx.
      await wordInput.setInputFiles(docPath);
      await page.getByText(/请另存为 \.docx 后上传/).waitFor();

      await page.getByRole('textbox', { name: '正文' }).fill('草稿：待从 Word 导入');
      await wordInput.setInputFiles(docxPath);
      const dialog = page.getByRole('dialog');
      await dialog.locator('.ant-modal-confirm-title').getByText('用 Word 文档替换正文吗？').waitFor();
      await dialog.getByRole('button', { name: '替换正文' }).click();

      await page.getByTestId('word-imported').waitFor({ timeout: 30_000 });
      assert.match(await page.getByTestId('word-imported').textContent(), /已从“城关镇述职报告\.docx”导入正文并保存/);
      for (const [level, text] of [
        [2, HEADINGS[0]],
        [3, HEADINGS[1]],
        [4, HEADINGS[2]],
        [3, HEADINGS[3]],
      ]) {
        await page.getByRole('heading', { name: text, level }).waitFor();
      }
      await page.getByRole('cell', { name: '东关村' }).waitFor();
      await page.getByRole('listitem').filter({ hasText: '召开党建工作专题会议 4 次' }).waitFor();
      await page.getByTestId('attachments').getByText('城关镇述职报告.docx').waitFor();
      await screenshot(page, 'word-imported');

      // What the server keeps: the text in Markdown, the original among the attachments.
      const stored = await api(`/reports/${reportId}`, { token });
      assert.equal(stored.status, 200);
      assert.ok(stored.data.body.startsWith(`# ${HEADINGS[0]}\n\n`), stored.data.body);
      assert.ok(stored.data.body.includes(`## ${HEADINGS[1]}\n\n### ${HEADINGS[2]}\n\n- 召开党建工作专题会议 4 次\n`), stored.data.body);
      assert.ok(stored.data.body.includes('| 村 | 党员数 |\n| --- | --- |\n| 东关村 | 86 |'), stored.data.body);
      assert.ok(stored.data.attachments.some((a) => a.filename === '城关镇述职报告.docx'));
      assert.deepEqual(errors.map(String), [], 'uncaught errors in the page');
    } catch (error) {
      await screenshot(page, 'FAILED-word').catch(() => {});
      throw error;
    } finally {
      await context.close();
    }
  });
});
