// Preloaded into a built server (NODE_OPTIONS=--import): says on stderr when faker is loaded.
import Module from 'node:module';
import process from 'node:process';

const load = Module._load;
Module._load = function (request, ...rest) {
  if (request.startsWith('@faker-js/')) process.stderr.write(`faker loaded: ${request}\n`);
  return load.call(this, request, ...rest);
};
