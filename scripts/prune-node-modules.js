// Keeps in <dir>/node_modules only the packages <dir>/package.json names (the page loads their
// browser bundles by path; their own dependencies are for building those bundles), without
// source maps. Used by the Docker build: `node prune-node-modules.js static`.
const fs = require("fs");
const path = require("path");

const dir = process.argv[2] || ".";
const wanted = new Set(Object.keys(JSON.parse(fs.readFileSync(path.join(dir, "package.json"))).dependencies || {}));
const modules = path.join(dir, "node_modules");

function packagesIn(root) {
  const names = [];
  for (const entry of fs.readdirSync(root)) {
    if (entry.startsWith(".")) continue;
    if (entry.startsWith("@")) {
      for (const scoped of fs.readdirSync(path.join(root, entry))) names.push(`${entry}/${scoped}`);
    } else names.push(entry);
  }
  return names;
}

function dropMaps(root) {
  for (const entry of fs.readdirSync(root, { withFileTypes: true })) {
    const full = path.join(root, entry.name);
    if (entry.isDirectory()) dropMaps(full);
    else if (entry.name.endsWith(".map")) fs.rmSync(full);
  }
}

for (const name of packagesIn(modules)) {
  if (!wanted.has(name)) fs.rmSync(path.join(modules, name), { recursive: true, force: true });
}
for (const entry of fs.readdirSync(modules)) {
  const full = path.join(modules, entry);
  if (entry.startsWith(".")) fs.rmSync(full, { recursive: true, force: true });
  else if (entry.startsWith("@") && fs.readdirSync(full).length === 0) fs.rmdirSync(full);
}
dropMaps(modules);
for (const name of wanted) {
  if (!fs.existsSync(path.join(modules, name))) throw new Error(`${name} is missing from ${modules}`);
}
console.log(`kept ${[...wanted].join(", ")}`);
