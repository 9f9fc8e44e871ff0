# Flake checks: every golden output tree's modules, evaluated the way a host imports them,
# with the real nixpkgs NixOS modules, home-manager, sops-nix and agenix. Building a check
# also builds the job scripts (writeShellApplication runs shellcheck on each).
{
  pkgs,
  nixpkgs,
  home-manager,
  sops-nix,
  agenix,
  goldens,
}:
let
  inherit (pkgs) lib;
  system = pkgs.stdenv.hostPlatform.system;
  cases = lib.attrNames (lib.filterAttrs (_: type: type == "directory") (builtins.readDir goldens));
  outputOf = case: import (goldens + "/${case}/default.nix");

  # What a user's own host configuration sets and a generated module leaves alone.
  hostBase = {
    boot.loader.grub.enable = false;
    fileSystems."/" = {
      device = "/dev/disk/by-label/nixos";
      fsType = "ext4";
    };
    sops.age.keyFile = "/var/lib/sops-nix/key.txt";
    age.identityPaths = [ "/etc/ssh/ssh_host_ed25519_key" ];
    system.stateVersion = "25.11";
  };

  nixosCheck =
    case: host: module:
    let
      cfg =
        (nixpkgs.lib.nixosSystem {
          inherit system;
          modules = [
            sops-nix.nixosModules.sops
            agenix.nixosModules.default
            hostBase
            module
          ];
        }).config;
      units = lib.filterAttrs (name: _: lib.hasPrefix "backupgen" name) cfg.systemd.units;
    in
    pkgs.writeText "backupgen-${case}-${host}-units.json" (
      builtins.toJSON (lib.mapAttrs (_: unit: unit.text) units)
    );

  homeCheck =
    case: host: user: module:
    (home-manager.lib.homeManagerConfiguration {
      inherit pkgs;
      modules = [
        sops-nix.homeManagerModules.sops
        agenix.homeManagerModules.default
        module
        {
          home.username = user;
          home.homeDirectory = "/home/${user}";
          home.stateVersion = "25.11";
          sops.age.keyFile = "/home/${user}/.config/sops/age/keys.txt";
        }
      ];
    }).activationPackage;

  checksOf =
    case:
    let
      out = outputOf case;
      nixos = lib.mapAttrs' (
        host: module: lib.nameValuePair "${case}-nixos-${host}" (nixosCheck case host module)
      ) (out.nixosModules or { });
      home = lib.concatMapAttrs (
        host: users:
        lib.mapAttrs' (
          user: module: lib.nameValuePair "${case}-home-${host}-${user}" (homeCheck case host user module)
        ) users
      ) (out.homeModules or { });
    in
    nixos // home;
in
lib.foldl' (acc: case: acc // checksOf case) { } cases
