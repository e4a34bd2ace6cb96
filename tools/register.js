// Runs the TypeScript entry points (demo app, cluster launcher, bench) without a
// build step: ts-node keeps decorator metadata, which Nest's injection needs,
// and tsconfig-paths resolves the workspace aliases such as @db-optimizer/core.
const path = require('node:path');
process.env.TS_NODE_PROJECT = process.env.TS_NODE_PROJECT || path.join(__dirname, 'tsconfig.json');
process.env.TS_NODE_TRANSPILE_ONLY = 'true';
require('ts-node/register');
require('tsconfig-paths').register({
  baseUrl: path.join(__dirname, '..'),
  paths: require('../tsconfig.base.json').compilerOptions.paths,
});
