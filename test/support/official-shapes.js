'use strict';
/**
 * Runs the probe chaincode of shapes-chaincode-impl.js on the OFFICIAL fabric-shim:
 *   node test/support/official-shapes.js --peer.address 127.0.0.1:PORT --chaincode-id-name NAME:1
 */
const shim = require('fabric-shim');
const { createShapesChaincode } = require('./shapes-chaincode-impl');

shim.start(createShapesChaincode(shim));
