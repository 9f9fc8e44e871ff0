# The part of nixpkgs' lib that generated modules use, as tiny stand-ins. There is no
# nixpkgs here: these mirror the behaviour of nixpkgs lib/modules.nix (mkIf, mkMerge,
# mkOverride and friends produce `_type`-tagged values that resolve.nix interprets the
# way the module system does), lib/lists.nix, lib/attrsets.nix, lib/strings.nix and
# lib/meta.nix (getExe reads meta.mainProgram).
let
  inherit (builtins) concatStringsSep filter map;
  mkOverride = priority: content: {
    _type = "override";
    inherit priority content;
  };
  mkOrder = priority: content: {
    _type = "order";
    inherit priority content;
  };
in
{
  mkIf = condition: content: {
    _type = "if";
    inherit condition content;
  };
  mkMerge = contents: {
    _type = "merge";
    inherit contents;
  };
  inherit mkOverride mkOrder;
  # Priorities from nixpkgs lib/modules.nix: plain definitions are 100.
  mkOptionDefault = mkOverride 1500;
  mkDefault = mkOverride 1000;
  mkForce = mkOverride 50;
  mkBefore = mkOrder 500;
  mkAfter = mkOrder 1500;

  optional = cond: x: if cond then [ x ] else [ ];
  optionals = cond: xs: if cond then xs else [ ];
  optionalString = cond: s: if cond then s else "";
  optionalAttrs = cond: set: if cond then set else { };

  getExe = p: "${p}/bin/${p.meta.mainProgram or (builtins.parseDrvName p.name).name}";
  "getExe'" = p: bin: "${p}/bin/${bin}";
  makeBinPath = packages: concatStringsSep ":" (map (p: "${p}/bin") packages);

  inherit concatStringsSep;
  concatMapStringsSep = sep: f: xs: concatStringsSep sep (map f xs);
  inherit (builtins) replaceStrings attrNames attrValues mapAttrs elem;
  filterAttrs = pred: set: removeAttrs set (filter (n: !pred n set.${n}) (builtins.attrNames set));
  hasPrefix = prefix: s: builtins.substring 0 (builtins.stringLength prefix) s == prefix;
}
