// Fails fast, with a message a person can act on, when the scripts run on a Node.js older
// than the one MikroORM 7 needs. Kept dependency-free and syntax-old so that Node 18/20 can run it.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 17)) {
  console.error(
    `\nKeysmith needs Node.js >= 22.17 (found ${process.versions.node}).\n` +
      'Install it (e.g. `nvm install` reads .nvmrc) or run `./run start` / `./run test`,\n' +
      'which fetch Node 22 and pnpm from the npm registry into ./.tools.\n',
  );
  process.exit(1);
}
