# A path relative to a base directory ("./scripts/home.sh", "../../secrets/b2.yaml"), so a
# JSON snapshot does not depend on where the checkout lives. Path values are turned into
# strings here instead of being printed by `--json`, which would copy them to the store.
base: path:
let
  inherit (builtins) concatStringsSep elemAt filter genList isString length split;
  parts = p: filter (x: isString x && x != "") (split "/" (toString p));
  from = parts base;
  to = parts path;
  common = n: if n < length from && n < length to && elemAt from n == elemAt to n then common (n + 1) else n;
  shared = common 0;
  ups = genList (_: "..") (length from - shared);
  rest = genList (i: elemAt to (shared + i)) (length to - shared);
in
if ups == [ ] then "./" + concatStringsSep "/" rest else concatStringsSep "/" (ups ++ rest)
