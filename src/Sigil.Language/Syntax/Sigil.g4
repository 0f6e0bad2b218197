// The sigil language. docs/language.md is the normative reference; this grammar is its syntax.
//
// A file holds one fibre: a network-utility-maximisation problem
//   maximise sum_s U_s(x_s)  subject to  A x <= c,  x_s in [m_s, M_s]
// whose names carry sigils for the role they play:
//   $name  decision / load variable      @name  resource (a row of A with budget c)
//   ^name  price of a resource (dual)    ~      utility
//
// The grammar is deliberately permissive where the binder can say more than the parser
// (settings, sensor and actuator calls take generic arguments): a misspelt setting is a
// SIG1xxx diagnostic with a precise span, not a syntax error.
grammar Sigil;

compilationUnit
    : fibreDeclaration EOF
    ;

fibreDeclaration
    : FIBRE name=IDENT LBRACE member* RBRACE
    ;

member
    : indexDeclaration
    | parameterDeclaration
    | tableDeclaration
    | variableDeclaration
    | resourceDeclaration
    | priceDeclaration
    | coupleDeclaration
    | utilityDeclaration
    | solveDeclaration
    | certifyDeclaration
    | senseDeclaration
    | actDeclaration
    | metricDeclaration
    | instrumentDeclaration
    | classDeclaration
    | allowDeclaration
    ;

// index task by pid max 8192;   dynamic: agents keyed in the kernel (pid = tgid, tid, cpu),
//                               at most 8192 at once (the kernel maps' size; default 10240)
// index edit from edits;        static: the rows of a table, keyed by its first column
// index domain in 0 .. 3;       static: an integer range
indexDeclaration
    : INDEX name=IDENT BY key=IDENT (limit=IDENT capacity=NUMBER)? SEMI    # dynamicIndex
    | INDEX name=IDENT FROM table=IDENT SEMI                              # tableIndex
    | INDEX name=IDENT IN low=signedNumber DOTDOT high=signedNumber SEMI  # rangeIndex
    ;

// param budget : s = 5.0;
parameterDeclaration
    : PARAM name=IDENT (COLON unit)? ASSIGN expression SEMI
    ;

// table edits from "atp.edits.csv" { cost : mmol/gDW; weight; lo : mmol/gDW/h; }
// table S[met, rxn] from "stoichiometry.csv";            two-dimensional, long CSV: row,column,value
// table R[link, flow] from "routes.csv" wide;             wide CSV: a header of column names
// table R[link, flow] { [l1, f1] = 1; [l2, f1] = 1; }    entries inline (absent entries are 0)
tableDeclaration
    : TABLE name=IDENT FROM path=STRING LBRACE columnDeclaration* RBRACE           # columnTable
    | TABLE name=IDENT LBRACK rowSet=IDENT COMMA columnSet=IDENT RBRACK (COLON unit)?
      (FROM path=STRING layout=IDENT?)? (LBRACE entryDeclaration* RBRACE | SEMI)    # matrixTable
    ;

entryDeclaration
    : LBRACK row=(IDENT | NUMBER) COMMA column=(IDENT | NUMBER) RBRACK ASSIGN value=signedNumber SEMI
    ;

columnDeclaration
    : name=IDENT (COLON unit)? SEMI
    ;

// $hold[task] : s in [0, 3600];
variableDeclaration
    : DOLLAR name=IDENT indexList? COLON unit IN LBRACK low=expression COMMA high=expression RBRACK SEMI
    ;

// @dwell[task] : s = budget;
// @power : W = 2000 cluster max 8;   one budget shared by the nodes of a cluster (at most 8)
resourceDeclaration
    : AT name=IDENT indexList? COLON unit ASSIGN budget=expression (scope=IDENT (limit=IDENT nodes=NUMBER)?)? SEMI
    ;

indexList
    : LBRACK IDENT (COMMA IDENT)* RBRACK
    ;

// ^dwell -> map price_dwell;
priceDeclaration
    : CARET resource=IDENT ARROW MAP name=IDENT SEMI
    ;

// couple @dwell[t] >= $hold[t];
// couple @llc[d] >= sum(t in thread) footprint[t] * $x[t, d];
// couple placed: sum(d in domain) $x[t, d] == 1;
// couple balance[m]: sum(r in rxn) S[m, r] * $v[r] == 0;    the label names the row's indices
// The expression must be one comparison (the binder checks). Index names that no sum binds
// are quantified over the index sets they are used against.
coupleDeclaration
    : COUPLE (label=IDENT labelIndices=subscript? COLON)? expression SEMI
    ;

// utility $hold[t] ~ log(1 + $hold[t]);
// utility $share[i] ~ w[i] * fair($share[i] + 0.1, 2);    alpha-fair, a = 2
// utility $rate[i] ~ 4 * $rate[i] - 3/2 * $rate[i] ** 2;  quadratic
// The binder recognises the concave family (docs/language.md, "Utilities").
utilityDeclaration
    : UTILITY target=variableReference TILDE expression SEMI
    ;

// solve dual { step = 0.5; online; }
solveDeclaration
    : SOLVE method=IDENT LBRACE setting* RBRACE
    ;

setting
    : name=IDENT (ASSIGN expression)? SEMI
    ;

// certify lyapunov, chordal;
certifyDeclaration
    : CERTIFY IDENT (COMMA IDENT)* SEMI
    ;

// sense $hold[t] <- span(syscalls:sys_enter_openat, syscalls:sys_enter_close) key (pid, fd);
senseDeclaration
    : SENSE target=variableReference LARROW call (KEY LPAREN IDENT (COMMA IDENT)* RPAREN)? SEMI
    ;

// act throttle(cpu = 20%) when ^dwell[t] >= throttle_price;
// act affinity;                 (no condition: applies the solved placement)
actDeclaration
    : ACT call (WHEN condition=expression)? SEMI
    ;

// metric dwell_seconds_current = mean($hold) target 5;
// The aggregate is a name (mean, max, min, count) or the keyword sum.
metricDeclaration
    : METRIC name=IDENT ASSIGN aggregate=(IDENT | SUM) LPAREN source=expression RPAREN (TARGET target=expression)? SEMI
    ;

// instrument calls(open, openat) pass (site, result) respond backoff(us = 50);
instrumentDeclaration
    : INSTRUMENT call (PASS LPAREN IDENT (COMMA IDENT)* RPAREN)? (RESPOND response=call)? SEMI
    ;

// class archivers: exe "/usr/bin/gzip", "/usr/bin/xz" weight 0.1;
// class backups: cgroup "/backup.slice" weight 0;      processes by executable or cgroup v2 path;
//                                                      the weight scales their events (0: unpriced)
classDeclaration
    : CLASS name=IDENT COLON processSet+ weightWord=IDENT weight=signedNumber SEMI
    ;

// allow exe "/usr/sbin/sshd";  allow cgroup "/system.slice";   never signalled nor frozen
allowDeclaration
    : ALLOW processSet+ SEMI
    ;

// exe "/usr/bin/tar", "/usr/bin/gzip"    or    cgroup "/backup.slice"
processSet
    : kind=IDENT STRING (COMMA STRING)*
    ;

// name(arg, key = value, ...). A tracepoint argument is written category:event.
call
    : name=IDENT (LPAREN (argument (COMMA argument)*)? RPAREN)?
    ;

argument
    : (name=IDENT ASSIGN)? (tracepoint | expression)
    ;

tracepoint
    : category=IDENT COLON event=IDENT
    ;

relation
    : LE | GE | EQ | LT | GT
    ;

// Precedence, tightest first: **, unary sign, * /, + -, sum(...), comparison. A sum's body
// extends over + and -: sum(t in task) a[t] * $x[t] + b  sums a[t] * $x[t] + b.
expression
    : <assoc=right> left=expression op=POW right=expression         # powerExpression
    | op=(MINUS | PLUS) operand=expression                          # unaryExpression
    | left=expression op=(STAR | SLASH) right=expression            # multiplicativeExpression
    | left=expression op=(PLUS | MINUS) right=expression            # additiveExpression
    | SUM LPAREN index=IDENT (IN set=IDENT)? RPAREN body=expression  # sumExpression
    | left=expression relation right=expression                     # comparisonExpression
    | LPAREN expression RPAREN                                      # parenthesizedExpression
    | name=IDENT LPAREN (argument (COMMA argument)*)? RPAREN        # callExpression
    | variableReference                                             # variableExpression
    | AT name=IDENT subscript?                                      # resourceExpression
    | CARET name=IDENT subscript?                                   # priceExpression
    | name=IDENT subscript?                                         # nameExpression
    | NUMBER PERCENT?                                               # numberExpression
    | STRING                                                        # stringExpression
    ;

variableReference
    : DOLLAR name=IDENT subscript?
    ;

subscript
    : LBRACK IDENT (COMMA IDENT)* RBRACK
    ;

signedNumber
    : MINUS? NUMBER
    ;

// Units: products and quotients of unit names with integer powers, e.g. mmol/gDW/h, MiB, s, 1.
unit
    : unitFactor ((STAR | SLASH) unitFactor)*
    ;

unitFactor
    : IDENT (POW MINUS? NUMBER)?
    | NUMBER
    ;

// Keywords. Words such as dual, log, span or throttle are not keywords: the binder knows them.
FIBRE      : 'fibre' ;
INDEX      : 'index' ;
BY         : 'by' ;
FROM       : 'from' ;
IN         : 'in' ;
PARAM      : 'param' ;
TABLE      : 'table' ;
MAP        : 'map' ;
COUPLE     : 'couple' ;
UTILITY    : 'utility' ;
SOLVE      : 'solve' ;
CERTIFY    : 'certify' ;
SENSE      : 'sense' ;
KEY        : 'key' ;
ACT        : 'act' ;
WHEN       : 'when' ;
METRIC     : 'metric' ;
TARGET     : 'target' ;
INSTRUMENT : 'instrument' ;
PASS       : 'pass' ;
RESPOND    : 'respond' ;
SUM        : 'sum' ;
CLASS      : 'class' ;
ALLOW      : 'allow' ;

DOLLAR   : '$' ;
AT       : '@' ;
CARET    : '^' ;
TILDE    : '~' ;
LARROW   : '<-' ;
ARROW    : '->' ;
LE       : '<=' ;
GE       : '>=' ;
EQ       : '==' ;
LT       : '<' ;
GT       : '>' ;
ASSIGN   : '=' ;
DOTDOT   : '..' ;
LBRACE   : '{' ;
RBRACE   : '}' ;
LBRACK   : '[' ;
RBRACK   : ']' ;
LPAREN   : '(' ;
RPAREN   : ')' ;
COMMA    : ',' ;
SEMI     : ';' ;
COLON    : ':' ;
PLUS     : '+' ;
MINUS    : '-' ;
STAR     : '*' ;
SLASH    : '/' ;
POW      : '**' ;
PERCENT  : '%' ;

NUMBER
    : DIGITS ('.' DIGITS)? EXPONENT?
    | '.' DIGITS EXPONENT?
    ;

fragment DIGITS   : [0-9] ('_'? [0-9])* ;
fragment EXPONENT : [eE] [+-]? [0-9]+ ;

IDENT  : [A-Za-z_] [A-Za-z_0-9]* ;
STRING : '"' (~["\\\r\n] | '\\' ["\\])* '"' ;

LINE_COMMENT  : '//' ~[\r\n]* -> channel(HIDDEN) ;
BLOCK_COMMENT : '/*' .*? '*/' -> channel(HIDDEN) ;
WS            : [ \t\r\n\f]+ -> channel(HIDDEN) ;

// Anything else is one bad character; the parser reports it with its location.
ERROR_CHAR : . ;
