import { OpenStore, useStore } from './harness';

/** What every KeyringStore adapter must do; each engine's spec runs it. */
export function keyringStoreContract(engine: string, open: OpenStore): void {
  describe(`KeyringStore contract: ${engine}`, () => {
    const s = useStore(open);

    it('keeps captured endpoint secrets, a newer one per endpoint id replacing the older, until forgotten', async () => {
      await s.keyring.saveEndpointSecrets([{ endpoint: 'videos', endpointId: 'wh_1', secret: 's1' }, { endpoint: 'videos', endpointId: 'wh_2', secret: 's2' }], 1);
      await s.keyring.saveEndpointSecrets([{ endpoint: 'videos', endpointId: 'wh_1', secret: 's1b' }], 2);
      expect((await s.keyring.listEndpointSecrets()).map((s) => [s.endpointId, s.secret]).sort()).toEqual([['wh_1', 's1b'], ['wh_2', 's2']]);
      await s.keyring.forgetEndpointSecrets(['wh_1']);
      expect(await s.keyring.listEndpointSecrets()).toEqual([{ endpoint: 'videos', endpointId: 'wh_2', secret: 's2' }]);
    });

    it('records rotations in progress until they end', async () => {
      await s.keyring.saveRotation({ name: 'videos', until: 5 });
      await s.keyring.saveRotation({ name: 'videos', until: 9 });
      expect(await s.keyring.listRotations()).toEqual([{ name: 'videos', until: 9 }]);
      await s.keyring.endRotation('videos');
      expect(await s.keyring.listRotations()).toEqual([]);
    });
  });
}
