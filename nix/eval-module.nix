# Evaluate a generated NixOS or home-manager module WITHOUT nixpkgs, to a JSON snapshot:
#
#   nix-instantiate --eval --strict --json nix/eval-module.nix \
#     --argstr module "$PWD/hosts/laptop/nixos.nix" --argstr kind nixos
#
# The module gets placeholder `pkgs` (stub-pkgs.nix), a minimal `lib` (stub-lib.nix) and a
# stub `config`: secret paths, the home directory and XDG directories. What comes back is the
# attribute set the module defines, with mkIf/mkMerge/mkDefault resolved (resolve-definitions.nix).
# It checks that a module evaluates and what it defines; option names and types are checked
# against the real declarations by ../shared/tools/nixeval, not here.
{
  module, # path or absolute path string of the module file
  kind ? "nixos", # "nixos" | "home"
  user ? "alice",
  extraPkgs ? [ ], # package names the text scan cannot see: a list, or a space-separated string
  extraConfig ? { }, # merged over the stub config (top-level attributes replace)
}:
let
  inherit (builtins)
    attrNames
    filter
    functionArgs
    head
    intersectAttrs
    isFunction
    isList
    listToAttrs
    split
    stringLength
    substring
    ;

  modulePath = if builtins.isPath module then module else /. + module;
  text = builtins.readFile modulePath;

  # First capture group of every match of `regex` in the module text, without duplicates.
  captures =
    regex:
    attrNames (
      listToAttrs (
        map (groups: {
          name = head groups;
          value = null;
        }) (filter isList (split regex text))
      )
    );
  unquote = s: if substring 0 1 s == "\"" then substring 1 (stringLength s - 2) s else s;

  identifier = "[A-Za-z_][A-Za-z0-9_'-]*";
  packageNames = captures "pkgs\\.(${identifier})";
  # `secrets.NAME.path` or `secrets."NAME".path` (quoted names without escapes).
  secretNames = map unquote (captures "secrets\\.(${identifier}|\"[^\"\\\\]*\")\\.path");

  homeDirectory = "/home/${user}";
  # Placeholders shaped like the real defaults (sops-nix: /run/secrets, agenix: /run/agenix;
  # their home-manager modules use per-user directories).
  secretPaths =
    if kind == "nixos" then
      {
        sops = name: "/run/secrets/${name}";
        age = name: "/run/agenix/${name}";
      }
    else
      {
        sops = name: "${homeDirectory}/.config/sops-nix/secrets/${name}";
        age = name: "/run/user/1000/agenix/${name}";
      };
  secretsAt =
    pathOf:
    listToAttrs (
      map (name: {
        inherit name;
        value.path = pathOf name;
      }) secretNames
    );

  config = {
    sops.secrets = secretsAt secretPaths.sops;
    age.secrets = secretsAt secretPaths.age;
    home = {
      username = user;
      inherit homeDirectory;
    };
    xdg = {
      configHome = "${homeDirectory}/.config";
      dataHome = "${homeDirectory}/.local/share";
      stateHome = "${homeDirectory}/.local/state";
      cacheHome = "${homeDirectory}/.cache";
    };
    networking.hostName = "placeholder-host";
    users.users.${user}.home = homeDirectory;
  } // extraConfig;

  lib = import ./stub-lib.nix;
  extraNames = if builtins.isString extraPkgs then filter (x: builtins.isString x && x != "") (split " " extraPkgs) else extraPkgs;
  pkgs = import ./stub-pkgs.nix { names = packageNames ++ extraNames; };

  moduleArgs = {
    inherit config lib pkgs;
    options = { };
    modulesPath = "/placeholder/nixos/modules";
    osConfig = config;
  };
  imported = import modulePath;
  # Pass only the arguments the module names (a set pattern without `...` refuses others).
  value =
    if isFunction imported then
      imported (if functionArgs imported == { } then moduleArgs else intersectAttrs (functionArgs imported) moduleArgs)
    else
      imported;

  resolve = import ./resolve-definitions.nix { relativePath = import ./relative-path.nix (dirOf modulePath); };
in
assert kind == "nixos" || kind == "home" || throw "eval-module: kind must be \"nixos\" or \"home\", not ${kind}";
resolve value
