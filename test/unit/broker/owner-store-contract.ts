import { afterEach, describe, expect, it } from 'vitest';
import type { OwnerStore } from '../../../broker/sessions/owner-store.js';

/** Opens a started store on the test's backing (file, Redis database), empty at the test's start. */
export type OpenOwnerStore = () => Promise<OwnerStore>;

export interface OwnerStoreTraits {
  /** A store opened again on the same backing sees what the first stored: a restart, or another node. */
  durable: boolean;
  /** Stores on one backing may run at once (cluster nodes), not only one after the other. */
  shared: boolean;
}

/** The behaviour every OwnerStore adapter must have, run against each of them. */
export function describeOwnerStore(name: string, open: OpenOwnerStore, traits: OwnerStoreTraits): void {
  describe(`${name} owner store`, () => {
    const opened: OwnerStore[] = [];
    const track = async (store: Promise<OwnerStore>): Promise<OwnerStore> => {
      opened.push(await store);
      return store;
    };

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.stop()));
    });

    it('gives a free client id to the first account and never to another', async () => {
      const store = await track(open());
      expect(await store.claim('fs-ingest', 'svc.ingest')).toEqual({ owner: 'svc.ingest', created: true });
      expect(await store.claim('fs-ingest', 'sub.snoop')).toEqual({ owner: 'svc.ingest', created: false });
      expect(await store.claim('fs-ingest', 'svc.ingest')).toEqual({ owner: 'svc.ingest', created: false });
      expect(await store.ownerOf('fs-ingest')).toBe('svc.ingest');
      expect(await store.ownerOf('other')).toBeUndefined();
      expect(store.knownOwnerOf('fs-ingest')).toBe('svc.ingest');
      expect(store.size).toBe(1);
    });

    it('lets only the owner release a client id', async () => {
      const store = await track(open());
      await store.claim('fs-ingest', 'svc.ingest');
      await store.release('fs-ingest', 'sub.snoop');
      expect(await store.ownerOf('fs-ingest')).toBe('svc.ingest');
      await store.release('fs-ingest', 'svc.ingest');
      expect(await store.ownerOf('fs-ingest')).toBeUndefined();
      expect(store.knownOwnerOf('fs-ingest')).toBeUndefined();
      expect(store.size).toBe(0);
      expect(await store.claim('fs-ingest', 'sub.snoop')).toEqual({ owner: 'sub.snoop', created: true });
    });

    it('lets exactly one of racing claims by different accounts win', async () => {
      const store = await track(open());
      const claims = await Promise.all(['a', 'b', 'c'].map((account) => store.claim('fresh', account)));
      expect(claims.filter(({ created }) => created)).toHaveLength(1);
      expect(new Set(claims.map(({ owner }) => owner)).size).toBe(1);
    });

    it('keeps client ids that look like object keys apart', async () => {
      const store = await track(open());
      for (const id of ['__proto__', 'constructor', '', 'ünï/+#']) await store.claim(id, `owner-of-${id}`);
      for (const id of ['__proto__', 'constructor', '', 'ünï/+#']) {
        expect(await store.ownerOf(id)).toBe(`owner-of-${id}`);
      }
      expect(await store.ownerOf('toString')).toBeUndefined();
    });

    // Only where the trait holds: a store without it has nothing to show here.
    if (traits.durable)
      it('has a claim in the backing as soon as it resolves, unstopped', async () => {
        const first = await track(open());
        await first.claim('fs-ingest', 'svc.ingest');
        await first.claim('gone', 'svc.ingest');
        await first.release('gone', 'svc.ingest');
        const second = await track(open());
        expect(await second.ownerOf('fs-ingest')).toBe('svc.ingest');
        expect(await second.ownerOf('gone')).toBeUndefined();
        expect(await second.claim('fs-ingest', 'sub.snoop')).toEqual({ owner: 'svc.ingest', created: false });
        expect(second.size).toBe(1);
      });

    if (traits.shared)
      it('lets exactly one of racing claims through different stores win', async () => {
        const stores = [await track(open()), await track(open())];
        const ids = Array.from({ length: 50 }, (_, n) => `race-${n}`);
        for (const id of ids) {
          const claims = await Promise.all(stores.map((store, n) => store.claim(id, `account-${n}`)));
          expect(claims.filter(({ created }) => created)).toHaveLength(1);
          expect(claims[0]?.owner).toBe(claims[1]?.owner);
        }
      });
  });
}
