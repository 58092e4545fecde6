import { migrate, Migration, MigrationDriver } from './migrate';

/** A driver over an in-memory list of versions, recording what it ran. */
function memoryDriver(applied: number[] = [], failOn?: number) {
  const ran: { version: number; at: number }[] = [];
  const driver: MigrationDriver = {
    appliedVersions: async () => [...applied],
    apply: async (m, at) => {
      if (m.version === failOn) throw new Error(`migration ${m.version} broke`);
      ran.push({ version: m.version, at });
      applied.push(m.version);
    },
  };
  return { driver, ran, applied };
}

const list = (...versions: number[]): Migration[] => versions.map((version) => ({ version, name: `m${version}`, sql: `-- ${version}` }));

describe('migrate (the one runner both engines use)', () => {
  it('applies every migration of a fresh database, in version order, with the time of each', async () => {
    const { driver, ran } = memoryDriver();
    let clock = 100;
    expect(await migrate(list(1, 2, 3), driver, () => clock++)).toEqual([1, 2, 3]);
    expect(ran).toEqual([{ version: 1, at: 100 }, { version: 2, at: 101 }, { version: 3, at: 102 }]);
  });

  it('applies only what the database has not recorded, and nothing on a database that is up to date', async () => {
    const { driver, ran } = memoryDriver([1, 2]);
    expect(await migrate(list(1, 2, 3, 4), driver)).toEqual([3, 4]);
    expect(await migrate(list(1, 2, 3, 4), driver)).toEqual([]);
    expect(ran.map((r) => r.version)).toEqual([3, 4]);
  });

  it('stops at a failing migration: the ones before it stay applied, none after it runs', async () => {
    const { driver, applied } = memoryDriver([], 2);
    await expect(migrate(list(1, 2, 3), driver)).rejects.toThrow('migration 2 broke');
    expect(applied).toEqual([1]);
  });

  it('refuses a list out of order, with a version twice or a version below 1, before touching the database', async () => {
    for (const bad of [list(2, 1), list(1, 1), list(0, 1)]) {
      const { driver, ran } = memoryDriver();
      const versions = jest.spyOn(driver, 'appliedVersions');
      await expect(migrate(bad, driver)).rejects.toThrow(/version/);
      expect(versions).not.toHaveBeenCalled();
      expect(ran).toEqual([]);
    }
  });
});
