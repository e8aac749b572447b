const fs = require('node:fs');
const path = require('node:path');

// Every workspace that has a jest.config.js takes part; a new control folder
// joins the run by adding one, without touching this file.
const roots = ['core', 'solution', 'plugins', 'functions', 'widget', 'dev', 'bench'];
const controls = fs.existsSync(path.join(__dirname, 'controls'))
  ? fs.readdirSync(path.join(__dirname, 'controls')).map((c) => `controls/${c}`)
  : [];

module.exports = {
  projects: [...roots, ...controls]
    .filter((w) => fs.existsSync(path.join(__dirname, w, 'jest.config.js')))
    .map((w) => `<rootDir>/${w}`),
};
