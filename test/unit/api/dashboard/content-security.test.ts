import { describe, expect, it } from 'vitest';
import { inlineScriptHashes } from '../../../../api/routes/dashboard/content-security.js';

describe('inlineScriptHashes', () => {
  it('hashes the body of each inline script as CSP does, and skips scripts loaded from a file', () => {
    const html =
      '<script type="importmap">{"imports":{}}</script>\n<script type="module" src="/ui/main.js"></script>';
    // echo -n '{"imports":{}}' | openssl dgst -sha256 -binary | base64
    expect(inlineScriptHashes(html)).toEqual(["'sha256-URrTy+Il/Nz0lHojVUx275hWqAWhkSF0VsHbUM4/6Hw='"]);
  });

  it('finds none in a page without inline scripts', () => {
    expect(inlineScriptHashes('<!doctype html><title>fieldstation</title>')).toEqual([]);
  });
});
