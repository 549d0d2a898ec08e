/** The share server's command line: port and data folder, with the documented defaults. */
import { describe, expect, it } from 'vitest';
import { defaultDataDir, parseArgs } from '../src/main';

describe('share-server arguments', () => {
  it("defaults to port 8788, 127.0.0.1 and a folder under the user's data directory", () => {
    expect(parseArgs([], { XDG_DATA_HOME: '/data' })).toEqual({ port: 8788, data: '/data/unroll/share-server', host: '127.0.0.1' });
    expect(defaultDataDir({}, 'linux')).toMatch(/\.local\/share\/unroll\/share-server$/);
    expect(defaultDataDir({}, 'darwin')).toMatch(/Library\/Application Support\/unroll\/share-server$/);
  });

  it('takes --port and --data, and refuses a port that is not one', () => {
    expect(parseArgs(['--port', '9000', '--data', '/tmp/shares'], {})).toMatchObject({ port: 9000, data: '/tmp/shares' });
    expect(() => parseArgs(['--port', 'eighty'], {})).toThrow('--port must be a port number');
  });
});
