(** * A small C: the subset the kernel's headers are written in, its meaning, and its printer

    bpf/sigil_fixed.h and bpf/sigil_guard.h are not written by hand: they are printed from
    programs in this embedding ([Kernel.sigil_fixed], [Kernel.sigil_guard]), and the build checks
    that the files on disk are, byte for byte, the printed text ([proofs/Makefile], target
    [headers]). What the proofs say about a program's meaning ([call]) is therefore said about the
    C that runs.

    The subset: the integer types [int], [__u32], [__s64], [__u64]; literals, macros (constant
    expressions), variables, casts, unary minus and [!], the binary operators
    [+ - * / << >> | & < > <= >= == != && ||], [?:] and calls of earlier functions; statements
    are declarations, assignments, [if]/[else], [return] and comments.

    Its meaning follows C11 on a 64-bit target (LP64, as x86-64 and BPF), with the two
    implementation-defined choices clang makes: a conversion of an out-of-range value to a
    signed type wraps modulo 2^N, and [>>] of a negative value is arithmetic (floor). Operands
    go through the usual arithmetic conversions ([common]). Everything C leaves undefined makes
    [eval] return [None]: signed overflow, division by zero, a shift by a negative amount or by
    the width or more, a left shift of a negative or overflowing signed value, reading an
    uninitialised variable, falling off the end of a function. A theorem
    [call ... = Some v] therefore also says that the run has no undefined behaviour.

    The differential test (tests/Sigil.Proofs.Tests/KernelDifferentialTests.cs) compiles the
    printed header natively with clang and compares it with [call], evaluated by coqc, on more
    than ten thousand argument vectors: a second line of defence for this file's reading of C. *)

From Coq Require Import ZArith Bool String List Ascii.
Import ListNotations.

Open Scope Z_scope.

(** ** Types *)

Inductive ctype := TInt | TU32 | TS64 | TU64.

Definition ctype_eqb (a b : ctype) : bool :=
  match a, b with
  | TInt, TInt | TU32, TU32 | TS64, TS64 | TU64, TU64 => true
  | _, _ => false
  end.

Definition ct_signed (t : ctype) : bool :=
  match t with TInt | TS64 => true | TU32 | TU64 => false end.

Definition ct_min (t : ctype) : Z :=
  match t with
  | TInt => -2147483648
  | TS64 => -9223372036854775808
  | TU32 | TU64 => 0
  end.

Definition ct_max (t : ctype) : Z :=
  match t with
  | TInt => 2147483647
  | TU32 => 4294967295
  | TS64 => 9223372036854775807
  | TU64 => 18446744073709551615
  end.

Definition ct_modulus (t : ctype) : Z :=
  match t with TInt | TU32 => 4294967296 | TS64 | TU64 => 18446744073709551616 end.

Definition ct_width (t : ctype) : Z := match t with TInt | TU32 => 32 | TS64 | TU64 => 64 end.

Definition in_rangeb (t : ctype) (v : Z) : bool := (ct_min t <=? v) && (v <=? ct_max t).

(** Conversion to [t]: the value when [t] holds it, otherwise the value modulo 2^N in [t]'s
    range (C for unsigned targets; clang's choice for signed ones). *)
Definition conv (t : ctype) (v : Z) : Z :=
  if in_rangeb t v then v else (v - ct_min t) mod ct_modulus t + ct_min t.

(** The usual arithmetic conversions for these four types (int and __u32 need no promotion). *)
Definition common (a b : ctype) : ctype :=
  match a, b with
  | TU64, _ | _, TU64 => TU64
  | TS64, _ | _, TS64 => TS64
  | TU32, _ | _, TU32 => TU32
  | TInt, TInt => TInt
  end.

(** ** Syntax *)

Inductive unop := Neg | LNot.

Inductive binop := Add | Sub | Mul | Div | Shl | Shr | BOr | BAnd
                 | Lt | Gt | Le | Ge | Eq | Ne | LAnd | LOr.

Inductive expr :=
| EVar (x : string)
| EInt (z : Z)                    (* a decimal int literal *)
| EHex (z : Z) (digits : nat)     (* a hexadecimal int literal, zero-padded *)
| EHexLL (z : Z)                  (* a hexadecimal long long literal: 0x...LL, type __s64 *)
| EMacro (name : string)          (* a constant macro of the program *)
| ECast (t : ctype) (e : expr)
| EUn (o : unop) (e : expr)
| EBin (o : binop) (a b : expr)
| ECond (c a b : expr)
| ECall (f : string) (args : list expr).

Inductive stmt :=
| SDecl (t : ctype) (x : string) (init : option expr)
| SAssign (x : string) (e : expr)
| SIf (c : expr) (th el : list stmt)
| SReturn (e : expr)
| SComment (text : string)
| SBlank.

Record func := {
  f_comment : string;
  f_ret : ctype;
  f_name : string;
  f_params : list (ctype * string);
  f_body : list stmt
}.

(** A macro: its comment lines (printed above it) and its body. *)
Record macro := { m_comment : list string; m_name : string; m_body : expr }.

(** A header: raw lines (comments, include guard, includes), its macros, more raw lines, its
    functions, and raw closing lines. Raw lines carry no meaning. *)
Record program := {
  p_head : list string;
  p_macros : list macro;
  p_middle : list string;
  p_funcs : list func;
  p_tail : list string
}.

(** ** Meaning

    An expression's meaning is a pair: its value (in its own type) and whether its evaluation
    is defined. Only the branch a test takes is evaluated. *)

Definition res : Type := (Z * bool)%type.

Definition b2z (b : bool) : Z := if b then 1 else 0.

(** Arithmetic in [t]: signed overflow is undefined, unsigned arithmetic wraps. *)
Definition arith_val (t : ctype) (r : Z) : Z := if ct_signed t then r else r mod ct_modulus t.
Definition arith_ok (t : ctype) (r : Z) : bool := if ct_signed t then in_rangeb t r else true.

(** The type of a binary operation's result ([<<] and [>>] keep the left operand's type). *)
Definition bin_type (o : binop) (ta tb : ctype) : ctype :=
  match o with
  | Shl | Shr => ta
  | Lt | Gt | Le | Ge | Eq | Ne | LAnd | LOr => TInt
  | _ => common ta tb
  end.

(** A shift by [y] is defined for [0 <= y < width]. *)
Definition shift_ok (ta : ctype) (y : Z) : bool := (0 <=? y) && (y <? ct_width ta).

(** A binary operator on [x : ta] and [y : tb] ([&&] and [||] are in [eval]): its value and
    whether it is defined. Division truncates toward zero; on unsigned operands that is the
    floor. *)
Definition eval_bin (o : binop) (ta tb : ctype) (x y : Z) : res :=
  let t := common ta tb in
  let x' := conv t x in
  let y' := conv t y in
  match o with
  | Add => (arith_val t (x' + y'), arith_ok t (x' + y'))
  | Sub => (arith_val t (x' - y'), arith_ok t (x' - y'))
  | Mul => (arith_val t (x' * y'), arith_ok t (x' * y'))
  | Div =>
      if ct_signed t then (Z.quot x' y', negb (y' =? 0) && in_rangeb t (Z.quot x' y'))
      else (x' / y', negb (y' =? 0))
  | BOr => (Z.lor x' y', true)
  | BAnd => (Z.land x' y', true)
  | Shl =>
      if ct_signed ta then (Z.shiftl x y, shift_ok ta y && (0 <=? x) && in_rangeb ta (Z.shiftl x y))
      else (Z.shiftl x y mod ct_modulus ta, shift_ok ta y)
  | Shr => (Z.shiftr x y, shift_ok ta y)
  | Lt => (b2z (x' <? y'), true)
  | Gt => (b2z (y' <? x'), true)
  | Le => (b2z (x' <=? y'), true)
  | Ge => (b2z (y' <=? x'), true)
  | Eq => (b2z (x' =? y'), true)
  | Ne => (b2z (negb (x' =? y')), true)
  | LAnd | LOr => (0, false)
  end.

(** Variables: type and value ([None] until assigned). *)
Definition env := list (string * (ctype * option Z)).

Fixpoint lookup (ρ : env) (x : string) : option (ctype * option Z) :=
  match ρ with
  | [] => None
  | (y, b) :: ρ' => if String.eqb x y then Some b else lookup ρ' x
  end.

Fixpoint assign (ρ : env) (x : string) (v : Z) : env :=
  match ρ with
  | [] => []
  | (y, (t, o)) :: ρ' => if String.eqb x y then (y, (t, Some v)) :: ρ' else (y, (t, o)) :: assign ρ' x v
  end.

(** What an expression may refer to besides variables: macros (type and value) and functions
    (signature and meaning). *)
Record context := {
  c_macros : list (string * (ctype * Z));
  c_sig : string -> option (ctype * list ctype);
  c_call : string -> list Z -> res
}.

Fixpoint macro_lookup (ms : list (string * (ctype * Z))) (x : string) : option (ctype * Z) :=
  match ms with
  | [] => None
  | (y, b) :: ms' => if String.eqb x y then Some b else macro_lookup ms' x
  end.

Definition var_type (ρ : env) (x : string) : ctype :=
  match lookup ρ x with Some (t, _) => t | None => TInt end.

(** The static type of an expression (an unknown name has type int; [eval] rejects it). *)
Fixpoint typeof (C : context) (ρ : env) (e : expr) : ctype :=
  match e with
  | EVar x => var_type ρ x
  | EInt _ | EHex _ _ => TInt
  | EHexLL _ => TS64
  | EMacro m => match macro_lookup (c_macros C) m with Some (t, _) => t | None => TInt end
  | ECast t _ => t
  | EUn Neg a => typeof C ρ a
  | EUn LNot _ => TInt
  | EBin o a b => bin_type o (typeof C ρ a) (typeof C ρ b)
  | ECond _ a b => common (typeof C ρ a) (typeof C ρ b)
  | ECall f _ => match c_sig C f with Some (t, _) => t | None => TInt end
  end.

Fixpoint conv_args (ts : list ctype) (vs : list Z) : list Z :=
  match ts, vs with
  | t :: ts', v :: vs' => conv t v :: conv_args ts' vs'
  | _, _ => []
  end.

(** The value of an expression, in its own type, and whether it is defined. *)
Fixpoint eval (C : context) (ρ : env) (e : expr) : res :=
  match e with
  | EVar x => match lookup ρ x with Some (_, Some v) => (v, true) | _ => (0, false) end
  | EInt z | EHex z _ => (z, in_rangeb TInt z)
  | EHexLL z => (z, in_rangeb TS64 z)
  | EMacro m => match macro_lookup (c_macros C) m with Some (_, v) => (v, true) | None => (0, false) end
  | ECast t a => let r := eval C ρ a in (conv t (fst r), snd r)
  | EUn Neg a =>
      let r := eval C ρ a in let t := typeof C ρ a in
      (arith_val t (- fst r), snd r && arith_ok t (- fst r))
  | EUn LNot a => let r := eval C ρ a in (b2z (fst r =? 0), snd r)
  | EBin LAnd a b =>
      let r := eval C ρ a in
      if fst r =? 0 then (0, snd r)
      else let s := eval C ρ b in (b2z (negb (fst s =? 0)), snd r && snd s)
  | EBin LOr a b =>
      let r := eval C ρ a in
      if fst r =? 0 then let s := eval C ρ b in (b2z (negb (fst s =? 0)), snd r && snd s)
      else (1, snd r)
  | EBin o a b =>
      let r := eval C ρ a in let s := eval C ρ b in
      let k := eval_bin o (typeof C ρ a) (typeof C ρ b) (fst r) (fst s) in
      (fst k, snd r && snd s && snd k)
  | ECond c a b =>
      let t := common (typeof C ρ a) (typeof C ρ b) in
      let r := eval C ρ c in
      let k := if fst r =? 0 then eval C ρ b else eval C ρ a in
      (conv t (fst k), snd r && snd k)
  | ECall f args =>
      let rs := map (eval C ρ) args in
      match c_sig C f with
      | Some (_, ts) =>
          let k := c_call C f (conv_args ts (map fst rs)) in
          (fst k, forallb snd rs && Nat.eqb (length ts) (length args) && snd k)
      | None => (0, false)
      end
  end.

(** Running statements in a function returning [rt]: the returned value and whether the run
    is defined (it is not when it falls off the end). [fuel] bounds the statements run; the
    statements after an [if] run after each of its branches. *)
Fixpoint exec (fuel : nat) (C : context) (rt : ctype) (ρ : env) (ss : list stmt) : res :=
  match fuel with
  | O => (0, false)
  | S f =>
      match ss with
      | [] => (0, false)
      | SDecl t x None :: ss' => exec f C rt ((x, (t, None)) :: ρ) ss'
      | SDecl t x (Some e) :: ss' =>
          let r := eval C ρ e in
          let k := exec f C rt ((x, (t, Some (conv t (fst r)))) :: ρ) ss' in
          (fst k, snd r && snd k)
      | SAssign x e :: ss' =>
          match lookup ρ x with
          | Some (t, _) =>
              let r := eval C ρ e in
              let k := exec f C rt (assign ρ x (conv t (fst r))) ss' in
              (fst k, snd r && snd k)
          | None => (0, false)
          end
      | SIf c th el :: ss' =>
          let r := eval C ρ c in
          let k := if fst r =? 0 then exec f C rt ρ (el ++ ss') else exec f C rt ρ (th ++ ss') in
          (fst k, snd r && snd k)
      | SReturn e :: _ => let r := eval C ρ e in (conv rt (fst r), snd r)
      | (SComment _ | SBlank) :: ss' => exec f C rt ρ ss'
      end
  end.

Fixpoint find_func (fs : list func) (f : string) : option func :=
  match fs with
  | [] => None
  | d :: fs' => if String.eqb f (f_name d) then Some d else find_func fs' f
  end.

Definition signature (P : program) (f : string) : option (ctype * list ctype) :=
  match find_func (p_funcs P) f with
  | Some d => Some (f_ret d, map fst (f_params d))
  | None => None
  end.

(** The macros' values, each body evaluated with the macros before it. *)
Definition macro_values (P : program) : list (string * (ctype * Z)) :=
  fold_left (fun ms m =>
      let C := {| c_macros := ms; c_sig := fun _ => None; c_call := fun _ _ => (0, false) |} in
      let r := eval C [] (m_body m) in
      if snd r then (m_name m, (typeof C [] (m_body m), fst r)) :: ms else ms)
    (p_macros P) [].

Fixpoint bind_params (ps : list (ctype * string)) (vs : list Z) : env :=
  match ps, vs with
  | (t, x) :: ps', v :: vs' => (x, (t, Some v)) :: bind_params ps' vs'
  | _, _ => []
  end.

(** Statements a body may run: its own, counting each [if]'s continuation twice. *)
Definition body_fuel : nat := 64.

(** Calling function [f] with arguments already converted to its parameters' types; [fuel]
    bounds the depth of nested calls. Not defined: no such function, a wrong number of
    arguments, undefined behaviour, or no [return]. *)
Fixpoint call (fuel : nat) (P : program) (f : string) (args : list Z) : res :=
  match fuel with
  | O => (0, false)
  | S n =>
      match find_func (p_funcs P) f with
      | None => (0, false)
      | Some d =>
          let C := {| c_macros := macro_values P; c_sig := signature P; c_call := call n P |} in
          let k := exec body_fuel C (f_ret d) (bind_params (f_params d) args) (f_body d) in
          (fst k, Nat.eqb (length args) (length (f_params d)) && snd k)
      end
  end.

(** ** The printer *)

Open Scope string_scope.

Definition nl : string := String (ascii_of_nat 10) "".
Definition tab : string := String (ascii_of_nat 9) "".

Fixpoint concat_with (sep : string) (ss : list string) : string :=
  match ss with
  | [] => ""
  | [s] => s
  | s :: ss' => s ++ sep ++ concat_with sep ss'
  end.

Definition digit (base : Z) (d : Z) : string :=
  let n := Z.to_nat d in
  String (ascii_of_nat (if (d <? 10)%Z then 48 + n else 87 + n)) "".

(** The digits of [z >= 0] in [base], at least [width] of them. *)
Fixpoint digits (fuel : nat) (base z : Z) (width : nat) (acc : string) : string :=
  match fuel with
  | O => acc
  | S f =>
      let acc' := digit base (z mod base) ++ acc in
      if (z <? base)%Z && Nat.leb width 1 then acc'
      else digits f base (z / base) (Nat.pred width) acc'
  end.

Definition decimal (z : Z) : string :=
  if (z <? 0)%Z then "-" ++ digits 64 10 (- z) 1 "" else digits 64 10 z 1 "".

Definition ctype_name (t : ctype) : string :=
  match t with TInt => "int" | TU32 => "__u32" | TS64 => "__s64" | TU64 => "__u64" end.

Definition binop_text (o : binop) : string :=
  match o with
  | Add => "+" | Sub => "-" | Mul => "*" | Div => "/" | Shl => "<<" | Shr => ">>"
  | BOr => "|" | BAnd => "&" | Lt => "<" | Gt => ">" | Le => "<=" | Ge => ">="
  | Eq => "==" | Ne => "!=" | LAnd => "&&" | LOr => "||"
  end.

(** C's precedence levels (higher binds tighter). *)
Definition binop_prec (o : binop) : nat :=
  match o with
  | Mul | Div => 13 | Add | Sub => 12 | Shl | Shr => 11 | Lt | Gt | Le | Ge => 10
  | Eq | Ne => 9 | BAnd => 8 | BOr => 6 | LAnd => 5 | LOr => 4
  end.

Definition expr_prec (e : expr) : nat :=
  match e with
  | EBin o _ _ => binop_prec o
  | ECond _ _ _ => 3
  | ECast _ _ | EUn _ _ => 15
  | _ => 16
  end.

(** Parentheses C does not need but a reader (and clang's -Wparentheses) wants: arithmetic
    inside a shift, mixed operators under [|] and [&], a comparison or shift under [==] and
    [!=], [&&] under [||]. *)
Definition clarify (parent : binop) (child : expr) : bool :=
  match child with
  | EBin o _ _ =>
      negb (Nat.eqb (binop_prec o) (binop_prec parent)) &&
      match parent with
      | Shl | Shr | BOr | BAnd => true
      | Eq | Ne => Nat.leb 10 (binop_prec o) && Nat.leb (binop_prec o) 11 || Nat.leb (binop_prec o) 8
      | Lt | Gt | Le | Ge => Nat.eqb (binop_prec o) 11
      | LOr => Nat.eqb (binop_prec o) 5
      | _ => false
      end
  | _ => false
  end.

Definition paren (b : bool) (s : string) : string := if b then "(" ++ s ++ ")" else s.

Fixpoint print_expr (e : expr) : string :=
  match e with
  | EVar x => x
  | EInt z => decimal z
  | EHex z w => "0x" ++ digits 64 16 z w ""
  | EHexLL z => "0x" ++ digits 64 16 z 1 "" ++ "LL"
  | EMacro m => m
  | ECast t a => "(" ++ ctype_name t ++ ")" ++ paren (Nat.ltb (expr_prec a) 15) (print_expr a)
  | EUn Neg a => "-" ++ paren (Nat.ltb (expr_prec a) 15) (print_expr a)
  | EUn LNot a => "!" ++ paren (Nat.ltb (expr_prec a) 15) (print_expr a)
  | EBin o a b =>
      paren (Nat.ltb (expr_prec a) (binop_prec o) || clarify o a) (print_expr a)
      ++ " " ++ binop_text o ++ " "
      ++ paren (Nat.leb (expr_prec b) (binop_prec o) || clarify o b) (print_expr b)
  | ECond c a b =>
      paren (Nat.leb (expr_prec c) 3) (print_expr c) ++ " ? " ++ print_expr a ++ " : "
      ++ print_expr b
  | ECall f args => f ++ "(" ++ concat_with ", " (map print_expr args) ++ ")"
  end.

Local Infix "+++" := app (at level 60, right associativity).

Fixpoint indent (n : nat) : string := match n with O => "" | S k => tab ++ indent k end.

(** Kernel style: one statement under an [if] without braces, otherwise braces. *)
Fixpoint print_stmt (n : nat) (s : stmt) : list string :=
  let fix print_list (n : nat) (ss : list stmt) : list string :=
    match ss with [] => [] | s :: ss' => print_stmt n s +++ print_list n ss' end in
  match s with
  | SDecl t x None => [indent n ++ ctype_name t ++ " " ++ x ++ ";"]
  | SDecl t x (Some e) => [indent n ++ ctype_name t ++ " " ++ x ++ " = " ++ print_expr e ++ ";"]
  | SAssign x e => [indent n ++ x ++ " = " ++ print_expr e ++ ";"]
  | SReturn e => [indent n ++ "return " ++ print_expr e ++ ";"]
  | SComment c => [indent n ++ "/* " ++ c ++ " */"]
  | SBlank => [""]
  | SIf c [s1] [] =>
      match s1 with
      | SIf _ _ _ => [indent n ++ "if (" ++ print_expr c ++ ") {"] +++ print_stmt (S n) s1 +++ [indent n ++ "}"]
      | _ => [indent n ++ "if (" ++ print_expr c ++ ")"] +++ print_stmt (S n) s1
      end
  | SIf c th [] =>
      [indent n ++ "if (" ++ print_expr c ++ ") {"] +++ print_list (S n) th +++ [indent n ++ "}"]
  | SIf c th el =>
      [indent n ++ "if (" ++ print_expr c ++ ") {"] +++ print_list (S n) th
      +++ [indent n ++ "} else {"] +++ print_list (S n) el +++ [indent n ++ "}"]
  end.

Definition print_body (ss : list stmt) : list string := flat_map (print_stmt 1) ss.

Fixpoint spaces (n : nat) : string := match n with O => "" | S k => " " ++ spaces k end.

(** Kernel style: parameters that do not fit in 100 columns (a tab is 8) continue on lines
    that start with [cont], [col] columns wide, under the opening parenthesis. [width] is the
    displayed width of [line]; [fresh] when [line] ends with the parenthesis. *)
Fixpoint fill (cont : string) (col width : nat) (fresh : bool) (line : string) (words : list string) : list string :=
  match words with
  | [] => [line]
  | w :: ws =>
      if fresh then fill cont col (width + String.length w) false (line ++ w) ws
      else if Nat.leb (width + 1 + String.length w) 100 then fill cont col (width + 1 + String.length w) false (line ++ " " ++ w) ws
      else line :: fill cont col (col + String.length w) false (cont ++ w) ws
  end.

Fixpoint punctuate (ws : list string) : list string :=
  match ws with
  | [] => []
  | [w] => [w ++ ")"]
  | w :: ws' => (w ++ ",") :: punctuate ws'
  end.

Definition print_signature (d : func) : list string :=
  let start := "SIGIL_INLINE " ++ ctype_name (f_ret d) ++ " " ++ f_name d ++ "(" in
  let col := String.length start in
  let cont := indent (col / 8) ++ spaces (col mod 8) in
  let params := map (fun p => ctype_name (fst p) ++ " " ++ snd p) (f_params d) in
  fill cont col col true start (punctuate params).

Definition print_func (d : func) : list string :=
  [""; "/* " ++ f_comment d ++ " */"] +++ print_signature d +++
  ["{"] +++ print_body (f_body d) +++ ["}"].

Definition print_macro (m : macro) : list string :=
  map (fun c => if String.eqb c "" then "" else "/* " ++ c ++ " */") (m_comment m)
   +++ ["#define " ++ m_name m ++ " " ++ paren (Nat.ltb (expr_prec (m_body m)) 16) (print_expr (m_body m))].

(** The header's text: every line ends with a newline. *)
Definition print_program (P : program) : string :=
  String.concat "" (map (fun l => l ++ nl)
    (p_head P +++ flat_map print_macro (p_macros P) +++ p_middle P
     +++ flat_map print_func (p_funcs P) +++ p_tail P)).

(** ** Comparing texts line by line *)

(** The lines of a text (the text after the last newline is a line too). *)
Fixpoint lines_rev (s : string) (cur : string) (acc : list string) : list string :=
  match s with
  | EmptyString => cur :: acc
  | String c s' =>
      if Ascii.eqb c (ascii_of_nat 10) then lines_rev s' "" (cur :: acc)
      else lines_rev s' (cur ++ String c "") acc
  end.

Definition lines (s : string) : list string := rev (lines_rev s "" []).

Fixpoint first_difference_from (k : nat) (a b : list string) : option (nat * string * string) :=
  match a, b with
  | [], [] => None
  | x :: a', y :: b' => if String.eqb x y then first_difference_from (S k) a' b' else Some (k, x, y)
  | x :: _, [] => Some (k, x, "(end of text)")
  | [], y :: _ => Some (k, "(end of text)", y)
  end.

(** [None] when the texts are equal; otherwise the first line (from 1) where they differ. *)
Definition first_difference (a b : string) : option (nat * string * string) :=
  first_difference_from 1 (lines a) (lines b).
