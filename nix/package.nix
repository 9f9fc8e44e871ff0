# The backupgen CLI built with nixpkgs' npm tooling. `importNpmLock` reads package-lock.json
# directly, so there is no npmDepsHash to keep in sync with the lock file.
{
  lib,
  buildNpmPackage,
  importNpmLock,
  nodejs_20,
}:
buildNpmPackage {
  pname = "backupgen";
  version = (lib.importJSON ../package.json).version;
  src = lib.fileset.toSource {
    root = ../.;
    fileset = lib.fileset.unions [
      ../package.json
      ../package-lock.json
      ../tsconfig.json
      ../tsconfig.build.json
      ../bin
      ../scripts/bundle.mjs
      ../src
      ../templates
    ];
  };
  nodejs = nodejs_20;
  npmDeps = importNpmLock { npmRoot = ../.; };
  npmConfigHook = importNpmLock.npmConfigHook;
  # `npm run build` compiles src/ to dist/ and bundles the CLI into dist/bundle/ (skipped
  # with a warning if rolldown's native binding cannot load); the bin launcher runs the
  # bundle when it is there, dist/cli/main.js otherwise.
  npmBuildScript = "build";
  meta = {
    description = "Describe backups once; compile them into NixOS and home-manager modules";
    mainProgram = "backupgen";
    license = lib.licenses.mit;
  };
}
