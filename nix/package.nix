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
      ../src
      ../templates
    ];
  };
  nodejs = nodejs_20;
  npmDeps = importNpmLock { npmRoot = ../.; };
  npmConfigHook = importNpmLock.npmConfigHook;
  # `npm run build` compiles src/ to dist/; the bin launcher imports dist/cli/main.js.
  npmBuildScript = "build";
  meta = {
    description = "Describe backups once; compile them into NixOS and home-manager modules";
    mainProgram = "backupgen";
    license = lib.licenses.mit;
  };
}
