// Drives the admin console in Debian's headless Chromium with playwright-core.
// Usage: node console.spec.mjs <baseUrl> <adminToken> <screenshotDir>
// Prints one JSON line of findings and exits non-zero on the first failed expectation.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

const [baseUrl, token, outDir] = process.argv.slice(2);
mkdirSync(outDir, { recursive: true });
const findings = {};
const expect = (condition, message) => {
  if (!condition) throw new Error(message);
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
let page;
try {
  page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
  page.setDefaultTimeout(30_000);
  await page.goto(baseUrl);

  // Cluster: silos listed, exactly the accelerator silo marked and serving a version.
  await page.waitForSelector("#silos tr");
  const silos = await page.$$eval("#silos tr", (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));
  findings.silos = silos;
  expect(silos.length === 2, `expected 2 silos, saw ${silos.length}`);
  expect(silos.filter((s) => s[1] === "yes").length === 1, "expected one accelerator silo");
  expect(silos.find((s) => s[1] === "yes")[2].startsWith("sha256:"), "accelerator silo serves no version");

  // Model versions: the bootstrap version is serving.
  await page.waitForSelector("#versions tr");
  expect((await page.textContent("#versions")).includes("serving"), "no serving version listed");

  // Search by attribute shows photos with their enriched attributes.
  await page.fill("#search-form input[name=colour]", "Black");
  await page.fill("#search-form input[name=type]", "Watches");
  await page.click("#search-form button");
  await page.waitForSelector("#results .card img");
  findings.searchSummary = await page.textContent("#search-summary");
  const cards = await page.$$eval("#results .card", (cs) => cs.map((c) => c.textContent));
  findings.cards = cards.length;
  expect(cards.length > 0, "search showed no products");
  expect(cards.every((c) => c.includes("colour:") && c.includes("sha256:")), "cards lack enriched attributes");
  const imagesLoaded = await page.$$eval("#results .card img", (imgs) => imgs.every((i) => i.complete && i.naturalWidth > 0));
  expect(imagesLoaded, "product photos did not load");
  await page.screenshot({ path: join(outDir, "search.png"), fullPage: true });

  // Rejected events are listed with their reasons.
  await page.waitForSelector("#rejected-rows tr");
  findings.rejected = await page.textContent("#rejected-rows");

  // An admin action without the token is refused with a clear message.
  await page.fill("#token", "");
  await page.click("#train");
  await page.waitForSelector("#message.visible");
  findings.refused = await page.textContent("#message");
  expect(/token/i.test(findings.refused), `unexpected refusal message: ${findings.refused}`);
  await page.screenshot({ path: join(outDir, "refused.png") });

  // With the token: retrain with small parameters and watch the live progress and learning curve.
  await page.fill("#token", token);
  await page.dispatchEvent("#token", "change");
  await page.fill("input[name=epochs]", "2");
  await page.fill("input[name=batchSize]", "32");
  await page.fill("input[name=learningRate]", "0.02");
  await page.fill("input[name=baseWidth]", "16");
  await page.fill("input[name=minClassCount]", "5");
  // A 2-epoch candidate need not beat the untrained bootstrap model; promote whatever it scores.
  await page.selectOption("select[name=policy]", "Always");
  // Progress is checked on what the job records and keeps after it ends (its final counters and per-epoch
  // learning curve) and on what the page drew from it, never on catching a running phase: a 2-epoch job on
  // 400 photos can finish between two of the server's once-a-second pushes.
  await page.evaluate(() => {
    const status = document.querySelector("#training-status");
    window.runningStatuses = [];
    new MutationObserver(() => {
      if (status.dataset.state === "Running") window.runningStatuses.push(status.textContent);
    }).observe(status, { childList: true, characterData: true, subtree: true, attributes: true });
  });
  const blankCurve = await page.evaluate(() => document.querySelector("#curve").toDataURL());
  await page.click("#train");
  await page.waitForFunction(() => ["Promoted", "Rejected", "Registered", "Failed", "Cancelled"].includes(document.querySelector("#training-status").dataset.state), null, { timeout: 420_000 });
  findings.finished = await page.textContent("#training-status");
  // The start answer is shown before any push, so the page always showed the job running at least once.
  const running = await page.evaluate(() => window.runningStatuses);
  expect(running.length > 0, "the started job was never shown as running");
  findings.runningStatusesSeen = running.length;
  findings.progress = findings.finished.match(/epoch \d+\/\d+, iteration \d+\/\d+, loss [\d.]+/)?.[0];
  // After the last epoch the trainer reports iteration 0 of a non-empty epoch; the loss is the last training loss.
  expect(/epoch 2\/2, iteration \d+\/[1-9]\d*, loss (?!0\.000)/.test(findings.finished),
    `finished status shows no recorded progress: ${findings.finished}`);
  const job = await page.evaluate(async () => (await (await fetch("/api/training")).json()).current);
  findings.curve = job.curve;
  expect(JSON.stringify(job.curve.map((p) => p.epoch)) === "[1,2]", `learning curve epochs: ${JSON.stringify(job.curve)}`);
  expect(job.curve.every((p) => p.trainLoss > 0 && p.validationScore !== null), `learning curve incomplete: ${JSON.stringify(job.curve)}`);
  // The page drew that curve: the validation line's green is on the canvas, which starts as an empty frame.
  const drawn = await page.evaluate((blank) => {
    const canvas = document.querySelector("#curve");
    const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    let green = 0;
    for (let i = 0; i < pixels.length; i += 4) {
      if (pixels[i] === 0x2c && pixels[i + 1] === 0xa0 && pixels[i + 2] === 0x2c && pixels[i + 3] === 255) green++;
    }
    return { changed: canvas.toDataURL() !== blank, green };
  }, blankCurve);
  expect(drawn.changed && drawn.green > 0, `learning curve not drawn: ${JSON.stringify(drawn)}`);
  expect(findings.finished.includes("Promoted"), `training did not promote: ${findings.finished}`);
  await page.waitForFunction(() => document.querySelectorAll("#versions tr").length === 2, null, { timeout: 60_000 });
  await page.screenshot({ path: join(outDir, "training.png"), fullPage: true });

  // Roll back to the first version from the console.
  const rollback = page.locator("#versions button:not([disabled])");
  const oldVersion = await rollback.getAttribute("data-version");
  await rollback.click();
  await page.waitForFunction((v) => [...document.querySelectorAll("#silos tr")].some((r) => r.cells[2].textContent === v), oldVersion, { timeout: 120_000 });
  findings.rolledBackTo = oldVersion;
  await page.screenshot({ path: join(outDir, "rollback.png"), fullPage: true });
  console.log(JSON.stringify({ ok: true, ...findings }));
} catch (error) {
  const status = await page?.textContent("#training-status").catch(() => null);
  console.log(JSON.stringify({ ok: false, error: error.message, trainingStatus: status, ...findings }));
  process.exitCode = 1;
} finally {
  await browser.close();
}
