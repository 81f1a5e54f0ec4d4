// The web app on the API's port: files as they are, the app's index.html for any other page outside
// /api (the browser's router shows the screen), and the API still answering its coded NOT_FOUND.
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './test-app.ts';

let t: TestApp;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'anju-web-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>安居</title><div id="root"></div>');
  writeFileSync(join(dir, 'assets', 'app-123.js'), 'console.log(1)');
  t = await createTestApp({ webDir: `${dir}/` });
});
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

it('serves the app at / and its hashed assets with a long cache', async () => {
  const page = await t.inject({ method: 'GET', url: '/' });
  expect(page.statusCode).toBe(200);
  expect(page.body).toContain('安居');
  const asset = await t.inject({ method: 'GET', url: '/assets/app-123.js' });
  expect(asset.statusCode).toBe(200);
  expect(asset.headers['cache-control']).toContain('immutable');
});

it('answers index.html for a screen address, so a reload of /portal/… or /console/… works', async () => {
  for (const url of ['/portal/balance', '/console/depositors/12']) {
    const res = await t.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('<div id="root">');
  }
});

it('keeps the API’s coded 404 for unknown API paths', async () => {
  const res = await t.inject({ method: 'GET', url: '/api/v1/no-such-thing' });
  expect(res.statusCode).toBe(404);
  expect(res.json()).toMatchObject({ code: 'NOT_FOUND' });
});
