'use strict';
/**
 * Runs the scenario chaincode on the OFFICIAL fabric-shim, as a separate process:
 *   node test/support/official-chaincode.js --peer.address 127.0.0.1:PORT --chaincode-id-name NAME:1
 * It keeps the mock peer honest against a shim no one here wrote.
 */
const { Shim } = require('fabric-shim');
const { createScenarioChaincode } = require('./official-chaincode-impl');

Shim.start(createScenarioChaincode(Shim));
