# backupgen's own flake: the CLI as a package and app, a development shell, and checks that
# evaluate every fixture's generated modules against real nixpkgs, home-manager, sops-nix
# and agenix (they need network to fetch those inputs; offline, the test suite at least
# parses this file).
{
  description = "backupgen: describe backups once, compile them into NixOS and home-manager modules";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
    home-manager = {
      url = "github:nix-community/home-manager";
      inputs.nixpkgs.follows = "nixpkgs";
    };
    sops-nix = {
      url = "github:Mic92/sops-nix";
      inputs.nixpkgs.follows = "nixpkgs";
    };
    agenix = {
      url = "github:ryantm/agenix";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs =
    {
      self,
      nixpkgs,
      home-manager,
      sops-nix,
      agenix,
    }:
    let
      systems = [
        "x86_64-linux"
        "aarch64-linux"
      ];
      forAllSystems = f: nixpkgs.lib.genAttrs systems (system: f nixpkgs.legacyPackages.${system});
    in
    {
      packages = forAllSystems (pkgs: {
        default = pkgs.callPackage ./nix/package.nix { };
      });

      apps = forAllSystems (pkgs: {
        default = {
          type = "app";
          program = "${self.packages.${pkgs.stdenv.hostPlatform.system}.default}/bin/backupgen";
        };
      });

      devShells = forAllSystems (pkgs: {
        default = pkgs.mkShell {
          packages = [
            pkgs.nodejs_20
            pkgs.shellcheck
            pkgs.rsync
            pkgs.rclone
            pkgs.zstd
            pkgs.xz
            pkgs.pigz
            pkgs.pbzip2
            pkgs.zip
            pkgs.unzip
          ];
        };
      });

      checks = forAllSystems (
        pkgs:
        import ./nix/checks.nix {
          inherit
            pkgs
            nixpkgs
            home-manager
            sops-nix
            agenix
            ;
          goldens = ./test/golden;
        }
      );
    };
}
