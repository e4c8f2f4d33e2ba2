import { join } from 'node:path';
import { chaincodeFromExports } from '../src/cli/module-loader';
import type { ContractChaincode } from '../src/contract/chaincode-from-contract';

describe('fabric-shim-ts start: loading a contracts module', () => {
  it('takes the title and version of the package the module belongs to, as fabric-chaincode-node does', async () => {
    const file = join(__dirname, 'fixtures', 'start-contracts', 'index.ts');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const cc = (await chaincodeFromExports(require(file), file)) as ContractChaincode;
    expect(cc.metadata.info).toEqual(expect.objectContaining({ title: 'start-contracts-fixture', version: '1.2.3' }));
    expect(Object.keys(cc.metadata.contracts)).toContain('Greeter');
  });
});
