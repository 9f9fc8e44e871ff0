# Placeholder packages: every package is a derivation-like attrset with a fixed store path,
# so interpolations (`"${pkgs.rsync}/bin/rsync"`) give stable text without building anything.
# Attribute sets cannot answer arbitrary names lazily, so the names come from the caller
# (the `pkgs.NAME` references found in the module text, plus `extraNames`).
{
  names,
}:
let
  # 32 characters of Nix base32, like a real store hash, all zeros.
  hash = "00000000000000000000000000000000";
  package = name: extra: {
    type = "derivation";
    inherit name;
    pname = name;
    outPath = "/nix/store/${hash}-${name}";
    outputs = [ "out" ];
    meta.mainProgram = name;
  } // extra;
  # A writer keeps its arguments (the script text, runtimeInputs) for the JSON snapshot.
  writer = kind: name: args: package name {
    _stub = kind;
    _args = args;
  };
  packages = builtins.listToAttrs (map (name: {
    inherit name;
    value = package name { };
  }) names);
in
packages
// {
  writeShellApplication = args: writer "writeShellApplication" args.name args;
  writeShellScript = name: text: writer "writeShellScript" name { inherit name text; };
  writeShellScriptBin = name: text: writer "writeShellScriptBin" name { inherit name text; };
  writeScript = name: text: writer "writeScript" name { inherit name text; };
  writeText = name: text: writer "writeText" name { inherit name text; };
}
