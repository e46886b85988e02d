import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SubscriptionsRead, SubscriptionsReplace, SubscriptionsView } from '../../../api/index.js';
import { etagOf, FileSubscriptionsStore } from '../../../cli/subscriptions-store.js';
import { loadSubscribers } from '../../../notify/index.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const OTHER_SECRET = 'whsec_NRFwz8hOsu445qWhWYDHO0o81EqkdIlr0VJfIymn/b8=';

const FILE_TEXT = `# hand-written
smtp:
  host: smtp.example.org
  user: alerts@example.org
  passwordEnv: FS_SMTP_PASSWORD
  from: alerts@example.org
contacts:
  - name: ana
    email: ana@example.org
  - name: pager
    webhook:
      url: https://pager.example.org/hook
      secret: ${SECRET}
routes:
  - name: jinfo
    stations: [jinfo]
    chain: [ana, pager]
    repeatEvery: 60
`;

let dir: string;
let file: string;
let store: FileSubscriptionsStore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fs-subscriptions-store-'));
  file = join(dir, 'subscribers.yaml');
  await writeFile(file, FILE_TEXT, { mode: 0o640 });
  store = new FileSubscriptionsStore(file);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function ok(result: SubscriptionsRead | SubscriptionsReplace): SubscriptionsView {
  if (result.outcome !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(result)}`);
  return result.view;
}

describe('FileSubscriptionsStore.read', () => {
  it('shows the subscriptions in force without any secret, with the file, its change time and its ETag', async () => {
    const view = ok(await store.read());
    expect(view.file).toBe(file);
    expect(view.etag).toBe(etagOf(FILE_TEXT));
    expect(Date.parse(view.modifiedAt)).toBe(Math.floor((await stat(file)).mtimeMs));
    expect(view.subscriptions.contacts).toEqual([
      { name: 'ana', email: 'ana@example.org' },
      { name: 'pager', webhook: { url: 'https://pager.example.org/hook', secretSet: true } },
    ]);
    expect(view.subscriptions.smtp).toMatchObject({
      host: 'smtp.example.org',
      passwordEnv: 'FS_SMTP_PASSWORD',
    });
    expect(view.subscriptions.routes[0]).toEqual({
      name: 'jinfo',
      stations: ['jinfo'],
      rules: 'all',
      minSeverity: 'warning',
      chain: ['ana', 'pager'],
      repeatEvery: 60,
      flapWindow: 10,
    });
    expect(JSON.stringify(view)).not.toContain('whsec_');
  });

  it('reports an invalid file with its paths and the ETag that lets a PUT replace it', async () => {
    const broken = FILE_TEXT.replace('chain: [ana, pager]', 'chain: [ana, nobody]');
    await writeFile(file, broken);
    expect(await store.read()).toEqual({
      outcome: 'file-invalid',
      file,
      etag: etagOf(broken),
      issues: [{ path: 'routes.0.chain.1', message: '"nobody" is not one of the contacts' }],
    });
  });
});

describe('FileSubscriptionsStore.replace', () => {
  it('sends the redacted view back unchanged: the webhook keeps its secret by contact name', async () => {
    const view = ok(await store.read());
    const document = {
      ...view.subscriptions,
      routes: [
        ...view.subscriptions.routes,
        { name: 'pager-only', chain: ['pager'], minSeverity: 'critical' },
      ],
    };
    const replaced = ok(await store.replace(document, [view.etag]));
    expect(replaced.etag).not.toBe(view.etag);
    expect(replaced.subscriptions.routes.map((route) => route.name)).toEqual(['jinfo', 'pager-only']);
    const onDisk = await loadSubscribers(file);
    expect(onDisk.contacts[1]?.webhook).toEqual({ url: 'https://pager.example.org/hook', secret: SECRET });
    expect(onDisk.routes[1]).toMatchObject({ name: 'pager-only', chain: ['pager'], minSeverity: 'critical' });
    expect(replaced.etag).toBe(etagOf(await readFile(file, 'utf8')));
  });

  it('takes a new secret when one is given', async () => {
    const view = ok(await store.read());
    const contacts = [
      { name: 'ana', email: 'ana@example.org' },
      { name: 'pager', webhook: { url: 'https://pager.example.org/new', secret: OTHER_SECRET } },
    ];
    ok(await store.replace({ ...view.subscriptions, contacts }, [view.etag]));
    expect((await loadSubscribers(file)).contacts[1]?.webhook?.secret).toBe(OTHER_SECRET);
  });

  it('asks a new webhook contact for its secret, naming the path, and leaves the file as it was', async () => {
    const view = ok(await store.read());
    const document = {
      ...view.subscriptions,
      contacts: [
        ...view.subscriptions.contacts,
        { name: 'newcomer', webhook: { url: 'https://x.example.org/' } },
      ],
      routes: [{ name: 'all', chain: ['ana'], minSeverity: 'loud' }],
    };
    const result = await store.replace(document, [view.etag]);
    expect(result.outcome).toBe('invalid');
    if (result.outcome !== 'invalid') return;
    expect(result.issues.map((issue) => issue.path)).toEqual([
      'contacts.2.webhook.secret',
      'routes.0.minSeverity',
    ]);
    expect(await readFile(file, 'utf8')).toBe(FILE_TEXT);
  });

  it('refuses with a conflict when the file changed since the ETag was read, and leaves it alone', async () => {
    const view = ok(await store.read());
    const edited = `${FILE_TEXT}# edited by hand\n`;
    await writeFile(file, edited);
    expect(await store.replace(view.subscriptions, [view.etag])).toEqual({
      outcome: 'conflict',
      etag: etagOf(edited),
    });
    expect(await store.replace(view.subscriptions, [])).toMatchObject({ outcome: 'conflict' });
    expect(await readFile(file, 'utf8')).toBe(edited);
  });

  it('lets only the first of two replacements with the same ETag through', async () => {
    const view = ok(await store.read());
    const [first, second] = await Promise.all([
      store.replace(view.subscriptions, [view.etag]),
      store.replace(view.subscriptions, [view.etag]),
    ]);
    expect(first.outcome).toBe('ok');
    expect(second.outcome).toBe('conflict');
  });

  it('writes atomically: YAML the notifier loads, the mode kept, no temporary file left behind', async () => {
    const view = ok(await store.read());
    ok(await store.replace(view.subscriptions, [view.etag]));
    expect(await readdir(dir)).toEqual(['subscribers.yaml']);
    expect((await stat(file)).mode & 0o777).toBe(0o640);
    const text = await readFile(file, 'utf8');
    expect(text).toMatch(/^# /);
    expect(text).toContain('contacts:\n');
    expect((await loadSubscribers(file)).routes).toHaveLength(1);
  });

  it('replaces an invalid file when given its ETag, though no secret can be carried over from it', async () => {
    await writeFile(file, 'contacts: [');
    const read = await store.read();
    if (read.outcome !== 'file-invalid') throw new Error('expected file-invalid');
    const document = {
      contacts: [{ name: 'pager', webhook: { url: 'https://pager.example.org/hook', secret: SECRET } }],
      routes: [{ name: 'all', chain: ['pager'] }],
    };
    const view = ok(await store.replace(document, [read.etag]));
    expect(view.subscriptions.contacts).toEqual([
      { name: 'pager', webhook: { url: 'https://pager.example.org/hook', secretSet: true } },
    ]);
  });
});
