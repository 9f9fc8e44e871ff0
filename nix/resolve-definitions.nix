# Turn a module's returned value into the plain data it defines, as nixpkgs' module system
# (lib/modules.nix) would for these wrappers: `mkIf false` drops the definition, `mkMerge`
# merges its parts (attribute sets recursively, lists concatenated), `mkBefore`/`mkAfter`
# are dropped, and between conflicting definitions the higher priority (lower number, a plain
# definition is 100) wins, equal ones must agree. The result is JSON-ready: packages become
# their store paths, writer stubs keep their arguments, paths become relative strings.
{
  relativePath, # path -> string
}:
let
  inherit (builtins)
    attrNames
    concatStringsSep
    filter
    foldl'
    intersectAttrs
    isAttrs
    isFunction
    isList
    isPath
    mapAttrs
    ;

  absent = {
    _type = "absent";
  };
  tag = v: if isAttrs v then v._type or null else null;
  isAbsent = v: tag v == "absent";
  isPackage = v: isAttrs v && (v.type or null) == "derivation";
  priority = v: if tag v == "override" then v.priority else 100;
  unwrap = v: if tag v == "override" then v.content else v;

  # Pass 1: resolve conditions and merges; keep override wrappers, merging needs them.
  walk =
    loc: v:
    let
      t = tag v;
    in
    if t == "if" then
      (if v.condition then walk loc v.content else absent)
    else if t == "merge" then
      mergeAll loc (filter (x: !isAbsent x) (map (walk loc) v.contents))
    else if t == "order" then
      walk loc v.content
    else if t == "override" then
      (
        let
          content = walk loc v.content;
        in
        if isAbsent content then absent else v // { inherit content; }
      )
    else if isPackage v then
      v
    else if isAttrs v then
      (
        let
          walked = mapAttrs (name: walk (loc ++ [ name ])) v;
        in
        removeAttrs walked (filter (name: isAbsent walked.${name}) (attrNames walked))
      )
    else if isList v then
      map (walk loc) v
    else
      v;

  mergeAll =
    loc: definitions:
    if definitions == [ ] then { } else foldl' (mergeTwo loc) (builtins.head definitions) (builtins.tail definitions);

  mergeTwo =
    loc: a: b:
    let
      pa = priority a;
      pb = priority b;
      ua = unwrap a;
      ub = unwrap b;
      bothSets = isAttrs ua && isAttrs ub && !isPackage ua && !isPackage ub && tag ua == null && tag ub == null;
      merged =
        if bothSets then
          ua // ub // mapAttrs (name: _: mergeTwo (loc ++ [ name ]) ua.${name} ub.${name}) (intersectAttrs ua ub)
        else if isList ua && isList ub then
          ua ++ ub
        else if ua == ub then
          ua
        else
          throw "eval-module: conflicting definitions for `${concatStringsSep "." loc}`";
    in
    if pa < pb then
      a
    else if pb < pa then
      b
    else if pa == 100 then
      merged
    else
      {
        _type = "override";
        priority = pa;
        content = merged;
      };

  # Pass 2: drop the wrappers and make every value JSON-ready.
  strip =
    v:
    if tag v == "override" then
      strip v.content
    else if isPackage v then
      (if v ? _stub then { drv = v.outPath; stub = v._stub; } // strip v._args else v.outPath)
    else if isAttrs v then
      mapAttrs (_: strip) v
    else if isList v then
      map strip v
    else if isPath v then
      relativePath v
    else if isFunction v then
      "<function>"
    else
      v;
in
value:
let
  walked = walk [ ] value;
in
if isAbsent walked then { } else strip walked
