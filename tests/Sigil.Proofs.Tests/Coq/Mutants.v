(* The mutation test of the kernel's programs (KernelC.v): every program that differs from
   sigil_fixed or sigil_guard by one operator or one constant must fail the checks the library
   runs at every build (KernelVectors.v), or be one of the equivalent mutants listed below.
   Run by tests/Sigil.Proofs.Tests/KernelMutationTests.cs against the compiled library. *)

From Coq Require Import ZArith List Bool String.
From Sigil Require Import CSyntax KernelC KernelVectors.
Import ListNotations.
Open Scope Z_scope.
Open Scope list_scope.
Local Infix "+++" := app (at level 60, right associativity).

(* Operators a slip of the hand turns into one another. *)
Definition ctype_eq_dec (a b : ctype) : {a = b} + {a <> b}.
Proof. decide equality. Defined.
Definition prod_eqdec {A B} (da : forall x y : A, {x = y} + {x <> y}) (db : forall x y : B, {x = y} + {x <> y}) : forall x y : A * B, {x = y} + {x <> y}.
Proof. decide equality. Defined.

Definition binop_alternatives (o : binop) : list binop :=
  match o with
  | Add => [Sub; Mul] | Sub => [Add; Mul] | Mul => [Add; Div] | Div => [Mul; Sub]
  | Shl => [Shr] | Shr => [Shl] | BOr => [BAnd] | BAnd => [BOr]
  | Lt => [Le; Gt] | Gt => [Ge; Lt] | Le => [Lt; Ge] | Ge => [Gt; Le]
  | Eq => [Ne] | Ne => [Eq] | LAnd => [LOr] | LOr => [LAnd]
  end.

(* Every expression that differs from e by one operator or one constant. *)
Fixpoint mut_expr (e : expr) : list expr :=
  let fix mut_args (es : list expr) : list (list expr) :=
    match es with
    | [] => []
    | a :: es' => map (fun a' => a' :: es') (mut_expr a) +++ map (fun r => a :: r) (mut_args es')
    end in
  match e with
  | EVar _ | EMacro _ => []
  | EInt z => [EInt (z + 1); EInt (z - 1)]
  | EHex z w => [EHex (z + 1) w; EHex (z * 2) w]
  | EHexLL z => [EHexLL (z - 1); EHexLL (z / 2)]
  | ECast t a => map (ECast t) (mut_expr a)
  | EUn o a => a :: map (EUn o) (mut_expr a)
  | EBin o a b =>
      map (fun o' => EBin o' a b) (binop_alternatives o)
      +++ map (fun a' => EBin o a' b) (mut_expr a) +++ map (fun b' => EBin o a b') (mut_expr b)
  | ECond c a b =>
      [ECond c b a] +++ map (fun c' => ECond c' a b) (mut_expr c)
      +++ map (fun a' => ECond c a' b) (mut_expr a) +++ map (fun b' => ECond c a b') (mut_expr b)
  | ECall f args => map (ECall f) (mut_args args)
  end.

Fixpoint mut_stmt (s : stmt) : list stmt :=
  let fix mut_list (ss : list stmt) : list (list stmt) :=
    match ss with
    | [] => []
    | s :: ss' => map (fun s' => s' :: ss') (mut_stmt s) +++ map (fun r => s :: r) (mut_list ss')
    end in
  match s with
  | SDecl t x (Some e) => map (fun e' => SDecl t x (Some e')) (mut_expr e)
  | SAssign x e => map (SAssign x) (mut_expr e)
  | SIf c th el =>
      map (fun c' => SIf c' th el) (mut_expr c)
      +++ map (fun th' => SIf c th' el) (mut_list th) +++ map (fun el' => SIf c th el') (mut_list el)
  | SReturn e => map SReturn (mut_expr e)
  | _ => []
  end.

Fixpoint mut_list (ss : list stmt) : list (list stmt) :=
  match ss with
  | [] => []
  | s :: ss' => map (fun s' => s' :: ss') (mut_stmt s) +++ map (fun r => s :: r) (mut_list ss')
  end.

Definition with_body (d : func) (b : list stmt) : func :=
  {| f_comment := f_comment d; f_ret := f_ret d; f_name := f_name d; f_params := f_params d; f_body := b |}.

Fixpoint mut_funcs (fs : list func) : list (list func) :=
  match fs with
  | [] => []
  | d :: fs' => map (fun b => with_body d b :: fs') (mut_list (f_body d)) +++ map (fun r => d :: r) (mut_funcs fs')
  end.

Fixpoint mut_macros (ms : list macro) : list (list macro) :=
  match ms with
  | [] => []
  | m :: ms' =>
      map (fun e => {| m_comment := m_comment m; m_name := m_name m; m_body := e |} :: ms') (mut_expr (m_body m))
      +++ map (fun r => m :: r) (mut_macros ms')
  end.

Definition with_parts (P : program) (ms : list macro) (fs : list func) : program :=
  {| p_head := p_head P; p_macros := ms; p_middle := p_middle P; p_funcs := fs; p_tail := p_tail P |}.

Definition mutants (P : program) : list program :=
  map (fun ms => with_parts P ms (p_funcs P)) (mut_macros (p_macros P))
  +++ map (fun fs => with_parts P (p_macros P) fs) (mut_funcs (p_funcs P)).

(* The mutants the checks do not tell apart from the program, each as the first line where its
   text differs from the header (number, header, mutant). *)
Definition survivors (ok : program -> bool) (P : program) : list (nat * string * string) :=
  flat_map (fun M => if ok M then
      match first_difference (print_program P) (print_program M) with Some d => [d] | None => [] end
    else []) (mutants P).

Definition guard_checks (P : program) : bool :=
  forallb (guard_ok P) guard_vectors
  && forallb (crossing_ok P) crossing_vectors && forallb (kill_ok P) kill_vectors
  && (if list_eq_dec (prod_eqdec string_dec (prod_eqdec ctype_eq_dec Z.eq_dec)) (macro_values P) (macro_values sigil_guard) then true else false).

Eval vm_compute in (List.length (mutants sigil_fixed), List.length (mutants sigil_guard)).
Eval vm_compute in survivors fixed_ok sigil_fixed.
Eval vm_compute in survivors guard_checks sigil_guard.
