'use strict';

const AssetLedger = require('./lib/asset-ledger');

module.exports.AssetLedger = AssetLedger;
module.exports.contracts = [AssetLedger];
