#!/usr/bin/env node
'use strict';
require('../dist/index.js')
  .run()
  .then((code) => {
    process.exitCode = code;
  });
