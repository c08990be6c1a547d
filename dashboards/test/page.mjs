// Helpers shared by the browser tests: open a page in headless Chromium, run the test's body, and require that the
// page logged nothing else (console output or uncaught exceptions) than what the test expects.
import assert from 'node:assert/strict';
import { launch } from './cdp.mjs';

/** A `document.querySelector` expression for a data-testid (with an optional extra selector part). */
export const q = (testid, extra = '') => `document.querySelector('[data-testid="${testid}"]${extra}')`;

/** An expression that clicks the element and evaluates to true. */
export const click = (testid, extra) => `(${q(testid, extra)}.click(), true)`;

export async function withPage(url, size, body, expectedConsole = []) {
  const page = await launch(size);
  try {
    await page.goto(url);
    await body(page);
    assert.deepEqual(page.console, expectedConsole, 'no other console output or uncaught exceptions');
  } finally {
    await page.close();
  }
}
