using System.Collections.Generic;
using System.Linq;

namespace Sigil.Language.Diagnostics;

/// <summary>
/// Every diagnostic the sigil compiler reports. Numbered by stage: 0xxx syntax, 1xxx names, types
/// and units, 2xxx math and certificates, 3xxx target limits, 9999 internal. docs/diagnostics.md
/// has a section per code with a bad example and the fix.
/// </summary>
public static class DiagnosticDescriptors
{
    private const string Syntax = "Syntax";
    private const string Names = "Names";
    private const string Units = "Units";
    private const string Math = "Math";
    private const string Certificates = "Certificates";
    private const string Target = "Target";
    private const string Internal = "Internal";

    // 0xxx: syntax.

    /// <summary>SIG0001: a character that starts no token.</summary>
    public static readonly DiagnosticDescriptor UnexpectedCharacter = Error("SIG0001", "Unexpected character", "Unexpected character '{0}'", Syntax);

    /// <summary>SIG0002: a string without its closing quote on the same line.</summary>
    public static readonly DiagnosticDescriptor UnterminatedString = Error("SIG0002", "Unterminated string", "Unterminated string: a string closes with '\"' on the line it opens", Syntax);

    /// <summary>SIG0003: a token the grammar does not allow here.</summary>
    public static readonly DiagnosticDescriptor UnexpectedToken = Error("SIG0003", "Unexpected token", "Unexpected {0}; expected {1}", Syntax);

    /// <summary>SIG0004: a required token is missing.</summary>
    public static readonly DiagnosticDescriptor MissingToken = Error("SIG0004", "Missing token", "Missing {0} before {1}", Syntax);

    /// <summary>SIG0005: brackets nested too deep.</summary>
    public static readonly DiagnosticDescriptor NestingTooDeep = Error("SIG0005", "Nesting too deep", "Brackets nest deeper than {0} levels", Syntax);

    /// <summary>SIG0006: one statement with too many tokens.</summary>
    public static readonly DiagnosticDescriptor StatementTooLong = Error("SIG0006", "Statement too long", "A statement of more than {0} tokens; split it into several", Syntax);

    /// <summary>SIG0007: the error limit was reached.</summary>
    public static readonly DiagnosticDescriptor TooManyErrors = Error("SIG0007", "Too many errors", "Too many errors; the compiler stopped after {0}", Syntax);

    /// <summary>SIG0008: a number that does not fit a double.</summary>
    public static readonly DiagnosticDescriptor InvalidNumber = Error("SIG0008", "Invalid number", "'{0}' is not a finite number", Syntax);

    /// <summary>SIG0009: a file too large to be a fibre.</summary>
    public static readonly DiagnosticDescriptor FileTooLarge = Error("SIG0009", "File too large", "The file has {0} characters; a fibre holds at most {1}", Syntax);

    /// <summary>SIG0010: a fibre file that is not a readable regular file.</summary>
    public static readonly DiagnosticDescriptor FileUnreadable = Error("SIG0010", "Fibre file unreadable", "Cannot read '{0}': {1}; a fibre is a regular file", Syntax);

    /// <summary>SIG0011: a bidirectional control character (Trojan source).</summary>
    public static readonly DiagnosticDescriptor BidirectionalControl = Warning("SIG0011", "Bidirectional control character", "The text holds the bidirectional control character U+{0}: it can make the fibre read differently from how it compiles (Trojan source); remove it", Syntax);

    // 1xxx: names, types and units.

    /// <summary>SIG1001: a name that some target language forbids.</summary>
    public static readonly DiagnosticDescriptor InvalidName = Error("SIG1001", "Invalid name", "'{0}' cannot be a name: {1}", Names);

    /// <summary>SIG1002: a name declared twice.</summary>
    public static readonly DiagnosticDescriptor DuplicateName = Error("SIG1002", "Duplicate name", "'{0}' is already declared as {1}", Names);

    /// <summary>SIG1003: a name that is not declared.</summary>
    public static readonly DiagnosticDescriptor UndefinedName = Error("SIG1003", "Undefined name", "{0} '{1}' is not declared{2}", Names);

    /// <summary>SIG1004: a name of the wrong kind.</summary>
    public static readonly DiagnosticDescriptor WrongNameKind = Error("SIG1004", "Wrong kind of name", "'{0}' is {1}; expected {2}", Names);

    /// <summary>SIG1005: two operands with different units.</summary>
    public static readonly DiagnosticDescriptor UnitMismatch = Error("SIG1005", "Unit mismatch", "Cannot {0} a value in '{1}' and a value in '{2}'", Units);

    /// <summary>SIG1006: a value in another unit than the declaration's.</summary>
    public static readonly DiagnosticDescriptor UnitExpected = Error("SIG1006", "Wrong unit", "Expected a value in '{0}'; found one in '{1}'", Units);

    /// <summary>SIG1007: a malformed unit.</summary>
    public static readonly DiagnosticDescriptor InvalidUnit = Error("SIG1007", "Invalid unit", "'{0}' is not a unit factor: {1}", Units);

    /// <summary>SIG1008: the number of subscripts differs from the index sets.</summary>
    public static readonly DiagnosticDescriptor SubscriptCount = Error("SIG1008", "Wrong number of subscripts", "'{0}' ranges over {1} index set(s); found {2} subscript(s)", Names);

    /// <summary>SIG1009: an index variable used against two index sets.</summary>
    public static readonly DiagnosticDescriptor IndexSetMismatch = Error("SIG1009", "Index set mismatch", "Index '{0}' ranges over '{1}' but is used here for '{2}'", Names);

    /// <summary>SIG1010: an unknown solver setting.</summary>
    public static readonly DiagnosticDescriptor UnknownSetting = Error("SIG1010", "Unknown setting", "'{0}' is not a setting of solve {1}{2}", Names);

    /// <summary>SIG1011: an unknown word where the language expects one of a fixed set.</summary>
    public static readonly DiagnosticDescriptor UnknownWord = Error("SIG1011", "Unknown word", "'{0}' is not a known {1}; expected {2}{3}", Names);

    /// <summary>SIG1012: a setting with a value of the wrong shape.</summary>
    public static readonly DiagnosticDescriptor SettingValue = Error("SIG1012", "Invalid setting value", "Setting '{0}' expects {1}", Names);

    /// <summary>SIG1013: a setting of another solver method.</summary>
    public static readonly DiagnosticDescriptor SettingNotForMethod = Error("SIG1013", "Setting of another method", "'{0}' is a setting of solve {1}; this fibre is solved by {2}", Names);

    /// <summary>SIG1014: a table file that cannot be read.</summary>
    public static readonly DiagnosticDescriptor TableNotFound = Error("SIG1014", "Table file not found", "Table file '{0}' was not found beside the fibre{1}", Names);

    /// <summary>SIG1015: a declared column missing from the file.</summary>
    public static readonly DiagnosticDescriptor TableColumnMissing = Error("SIG1015", "Table column missing", "Table file '{0}' has no column '{1}'", Names);

    /// <summary>SIG1016: a cell that is not a number.</summary>
    public static readonly DiagnosticDescriptor TableBadNumber = Error("SIG1016", "Table cell not a number", "Table file '{0}', row {1}, column '{2}': '{3}' is not a finite number", Names);

    /// <summary>SIG1017: a malformed table file.</summary>
    public static readonly DiagnosticDescriptor TableMalformed = Error("SIG1017", "Malformed table", "Table file '{0}': {1}", Names);

    /// <summary>SIG1018: a string that is not safe to carry to the targets.</summary>
    public static readonly DiagnosticDescriptor InvalidString = Error("SIG1018", "Invalid string", "{0} \"{1}\" is not allowed: {2}", Names);

    /// <summary>SIG1019: an expression that must be known at compile time.</summary>
    public static readonly DiagnosticDescriptor ExpectedConstant = Error("SIG1019", "Expected a value", "Expected a value known at compile time; found {0}", Names);

    /// <summary>SIG1020: no solve declaration.</summary>
    public static readonly DiagnosticDescriptor SolveMissing = Error("SIG1020", "No solve", "Fibre '{0}' has no 'solve' declaration; add e.g. 'solve dual {{ step = auto; }}'", Names);

    /// <summary>SIG1021: something given twice (a utility, a sensor, a row, a solve...).</summary>
    public static readonly DiagnosticDescriptor DuplicateDeclaration = Error("SIG1021", "Duplicate declaration", "{0} already has {1}", Names);

    /// <summary>SIG1022: a coupled variable without a utility.</summary>
    public static readonly DiagnosticDescriptor VariableWithoutUtility = Error("SIG1022", "Coupled variable without utility", "'${0}' loads row '{1}' but has no utility; add 'utility ${0}[...] ~ ...;'", Names);

    /// <summary>SIG1023: a utility that reads another variable.</summary>
    public static readonly DiagnosticDescriptor UtilityOfOtherVariable = Error("SIG1023", "Utility reads another variable", "The utility of '${0}' reads {1}; a utility depends on its own variable '${0}{2}' only", Names);

    /// <summary>SIG1024: a couple row that is not one comparison.</summary>
    public static readonly DiagnosticDescriptor CoupleShape = Error("SIG1024", "Row is not a comparison", "A couple row is one comparison with <=, >= or ==; found {0}", Names);

    /// <summary>SIG1025: a row with neither a resource nor a label.</summary>
    public static readonly DiagnosticDescriptor RowNeedsName = Error("SIG1025", "Row without name", "This row budgets no resource; name it with a label: 'couple name: ...;'", Names);

    /// <summary>SIG1026: a labelled row that budgets a resource.</summary>
    public static readonly DiagnosticDescriptor LabelOnResourceRow = Error("SIG1026", "Label on a resource row", "A row of '@{0}' is named by its resource; remove the label '{1}'", Names);

    /// <summary>SIG1027: a resource used other than alone on one side of its row.</summary>
    public static readonly DiagnosticDescriptor ResourcePlacement = Error("SIG1027", "Misplaced resource", "Resource '@{0}' {1}", Names);

    /// <summary>SIG1028: an index that no sum binds in a row whose resource does not range over it.</summary>
    public static readonly DiagnosticDescriptor FreeIndexInRow = Error("SIG1028", "Free index in a row", "Index '{0}' is free in the row of '@{1}', which does not range over it; sum over it with 'sum({0} in {2}) ...'", Names);

    /// <summary>SIG1029: an invalid argument of a sensor, actuator, instrument or response.</summary>
    public static readonly DiagnosticDescriptor InvalidArgument = Error("SIG1029", "Invalid argument", "{0}: {1}", Names);

    /// <summary>SIG1030: an act condition that is not a price threshold.</summary>
    public static readonly DiagnosticDescriptor BadCondition = Error("SIG1030", "Invalid condition", "Expected a condition '^price[t] >= threshold'; found {0}", Names);

    /// <summary>SIG1031: a time sensor on a variable that is not a time.</summary>
    public static readonly DiagnosticDescriptor SensorUnit = Error("SIG1031", "Sensor unit", "'{0}' measures time, but '${1}' is in '{2}'; declare it in s, ms, us or ns", Units);

    /// <summary>SIG1032: a sensor key that does not fit the variable.</summary>
    public static readonly DiagnosticDescriptor SensorKey = Error("SIG1032", "Sensor key", "Sensor key of '${0}': {1}", Names);

    /// <summary>SIG1033: a metric name Prometheus rejects.</summary>
    public static readonly DiagnosticDescriptor MetricName = Error("SIG1033", "Invalid metric name", "'{0}' is not a valid Prometheus metric name: {1}", Names);

    /// <summary>SIG1034: an instrumentation pattern with characters other than the glob set.</summary>
    public static readonly DiagnosticDescriptor InvalidPattern = Error("SIG1034", "Invalid pattern", "Pattern \"{0}\" may hold letters, digits, '_', '*' and '?' only", Names);

    /// <summary>SIG1035: an index declaration with invalid numbers.</summary>
    public static readonly DiagnosticDescriptor InvalidIndex = Error("SIG1035", "Invalid index", "Index '{0}': {1}", Names);

    /// <summary>SIG1036: a fibre without rows.</summary>
    public static readonly DiagnosticDescriptor NoRows = Error("SIG1036", "No rows", "Fibre '{0}' has no 'couple' row; a fibre shares at least one resource", Names);

    /// <summary>SIG1037: online solving without what it needs.</summary>
    public static readonly DiagnosticDescriptor OnlineRequirement = Error("SIG1037", "Online solving", "Online solving {0}", Names);

    /// <summary>SIG1038: a resource no row budgets.</summary>
    public static readonly DiagnosticDescriptor ResourceWithoutRow = Warning("SIG1038", "Resource without row", "Resource '@{0}' has no 'couple' row; its price stays 0", Names);

    /// <summary>SIG1039: a table column read at an index that does not range over the table's rows.</summary>
    public static readonly DiagnosticDescriptor ColumnIndex = Error("SIG1039", "Column read at a foreign index", "Column '{0}' of table '{1}' is read at '{2}', which ranges over '{3}', not over the rows of '{1}'", Names);

    /// <summary>SIG1040: an actuator used with or without a condition against its kind.</summary>
    public static readonly DiagnosticDescriptor ActuatorCondition = Error("SIG1040", "Actuator condition", "'{0}' {1}", Names);

    /// <summary>SIG1041: a sensor whose events do not yield what it measures (an fd that is a byte count, a size an event lacks).</summary>
    public static readonly DiagnosticDescriptor SensorMeaning = Error("SIG1041", "Sensor meaning", "'{0}' {1}", Names);

    /// <summary>SIG1050: a row or column name of a two-dimensional table that is not a member of its index set.</summary>
    public static readonly DiagnosticDescriptor TableKeyUnknown = Error("SIG1050", "Unknown table key", "Table '{0}': '{1}'{2} is not a member of index set '{3}'", Names);

    /// <summary>SIG1051: an entry of a two-dimensional table given twice.</summary>
    public static readonly DiagnosticDescriptor TableEntryDuplicate = Error("SIG1051", "Duplicate table entry", "Table '{0}' gives the entry [{1}, {2}] twice: {3} and {4}", Names);

    /// <summary>SIG1052: a two-dimensional table over a set that is not a static index set.</summary>
    public static readonly DiagnosticDescriptor TableSet = Error("SIG1052", "Table over a dynamic set", "Table '{0}' ranges over '{1}', {2}; a two-dimensional table ranges over static index sets (from a table or a range)", Names);

    /// <summary>SIG1053: <c>inf</c> where a finite value is needed.</summary>
    public static readonly DiagnosticDescriptor InfinityOutsideBound = Error("SIG1053", "Infinity outside a bound", "'inf' is a variable bound only; {0} needs a finite value", Names);

    /// <summary>SIG1070: a class or allow path that is not a usable absolute path.</summary>
    public static readonly DiagnosticDescriptor ProcessPathInvalid = Error("SIG1070", "Bad process path", "The {0} path '{1}' {2}", Names);

    /// <summary>SIG1071: one executable or cgroup listed twice among the classes and allow-lists.</summary>
    public static readonly DiagnosticDescriptor ProcessPathDuplicate = Error("SIG1071", "Duplicate process path", "The {0} path '{1}' is already listed {2}; a process has one class, and is listed once", Names);

    /// <summary>SIG1072: two classes with one name.</summary>
    public static readonly DiagnosticDescriptor ClassDuplicate = Error("SIG1072", "Duplicate class", "Class '{0}' is declared twice", Names);

    /// <summary>SIG1073: a process set that is neither exe nor cgroup.</summary>
    public static readonly DiagnosticDescriptor ProcessSetUnknown = Error("SIG1073", "Unknown process set", "'{0}' is not a kind of process set: expected exe (executable paths) or cgroup (cgroup v2 paths)", Names);

    /// <summary>SIG1074: a class without the word weight before its weight.</summary>
    public static readonly DiagnosticDescriptor ClassWeightExpected = Error("SIG1074", "Class weight expected", "Expected 'weight' after the processes of class '{0}', found '{1}'", Names);

    // 2xxx: math and certificates.

    /// <summary>SIG2001: a row that is not linear in the variables.</summary>
    public static readonly DiagnosticDescriptor NonlinearRow = Error("SIG2001", "Nonlinear row", "Rows are linear (coefficient * $variable); {0}", Math);

    /// <summary>SIG2002: a utility outside the concave families.</summary>
    public static readonly DiagnosticDescriptor UtilityNotRecognised = Error("SIG2002", "Utility not recognised", "The utility of '${0}' is not one of w*log(x + eps), w*fair(x + eps, a), w*x - k/2*x**2 or w*x: {1}", Math);

    /// <summary>SIG2003: a recognised utility with a non-concave sign.</summary>
    public static readonly DiagnosticDescriptor UtilityNotConcave = Error("SIG2003", "Utility not concave", "The utility of '${0}' is not concave: {1}", Math);

    /// <summary>SIG2004: log or fair of a value that reaches zero.</summary>
    public static readonly DiagnosticDescriptor UtilityDomain = Error("SIG2004", "Utility undefined on the bounds", "The utility of '${0}' is undefined on its bounds: x + eps falls to {1}; raise eps or the lower bound", Math);

    /// <summary>SIG2005: a lower bound above the upper bound.</summary>
    public static readonly DiagnosticDescriptor BoundsInverted = Error("SIG2005", "Bounds inverted", "The lower bound {0} of '${1}' is above its upper bound {2}{3}", Math);

    /// <summary>SIG2006: a budget the lower bounds already exceed.</summary>
    public static readonly DiagnosticDescriptor Infeasible = Error("SIG2006", "Infeasible row", "Row '{0}' cannot be met{1}: the lower bounds force a load of at least {2}, above the budget {3}", Math);

    /// <summary>SIG2007: an equality the bounds cannot reach.</summary>
    public static readonly DiagnosticDescriptor EqualityUnreachable = Error("SIG2007", "Unreachable equality", "Row '{0}' cannot be met{1}: the bounds keep its load within [{2}, {3}], which misses {4}", Math);

    /// <summary>SIG2008: a dual step above the stability bound (not certified).</summary>
    public static readonly DiagnosticDescriptor StepAboveBound = Warning("SIG2008", "Step above the stability bound", "The step {0} is above the stability bound 2/L = {1}; the dual update may oscillate ('certify step;' makes this an error)", Math);

    /// <summary>SIG2009: a requested certificate whose conditions fail.</summary>
    public static readonly DiagnosticDescriptor CertificateFailed = Error("SIG2009", "Certificate fails", "Certificate '{0}' does not hold: {1}", Certificates);

    /// <summary>SIG2010: a kill threshold below the throttle threshold.</summary>
    public static readonly DiagnosticDescriptor KillBelowThrottle = Error("SIG2010", "Kill below throttle", "The kill threshold {0} of '^{1}' is below its throttle threshold {2}", Certificates);

    /// <summary>SIG2011: step = auto without a finite Lipschitz constant.</summary>
    public static readonly DiagnosticDescriptor AutoStep = Error("SIG2011", "No automatic step", "'step = auto' needs strictly concave utilities (log, fair or quadratic); {0}", Math);

    /// <summary>SIG2012: a division by zero in a compile-time value.</summary>
    public static readonly DiagnosticDescriptor DivisionByZero = Error("SIG2012", "Division by zero", "Division by zero in {0}", Math);

    /// <summary>SIG2013: a compile-time value that overflows.</summary>
    public static readonly DiagnosticDescriptor NotFinite = Error("SIG2013", "Value overflows", "{0} is not finite", Math);

    /// <summary>SIG2014: a constant inside a sum.</summary>
    public static readonly DiagnosticDescriptor ConstantInSum = Error("SIG2014", "Constant inside a sum", "A constant inside 'sum({0} ...)' is not a load term; move it out of the sum", Math);

    /// <summary>SIG2015: a kill at a threshold of 0 or below.</summary>
    public static readonly DiagnosticDescriptor KillAtZero = Warning("SIG2015", "Kill at price zero", "'{0}' kills at a price of {1}: every price starts at 0, so every agent would be killed as soon as it is seen; give a threshold above 0", Certificates);

    /// <summary>SIG2016: an action whose threshold the saturated price never reaches.</summary>
    public static readonly DiagnosticDescriptor ThresholdAbovePriceMax = Warning("SIG2016", "Threshold above price_max", "'{0}' never acts: prices saturate at price_max = {1}, below its threshold {2}", Certificates);

    /// <summary>SIG2017: instrumentation that refuses every call of a program.</summary>
    public static readonly DiagnosticDescriptor RefuseEverything = Warning("SIG2017", "Refuse on every call", "'{0}' refuses every call of the instrumented program while the price is high, reads and exits included; name the calls to refuse", Certificates);

    /// <summary>SIG2018: a term inside a sum that does not use the sum's index.</summary>
    public static readonly DiagnosticDescriptor TermIgnoresSum = Warning("SIG2018", "Term ignores its sum", "'{0}' inside 'sum({1} ...)' does not use '{1}', so it is added once per member of the sum; close the sum with parentheses before it", Math);

    /// <summary>SIG2019: a cluster resource the nodes cannot price apart.</summary>
    public static readonly DiagnosticDescriptor NotDecomposable = Error("SIG2019", "Not decomposable across nodes", "Cluster resource '@{0}' cannot be decomposed across nodes: {1}", Math);

    /// <summary>SIG2030: an infinite variable bound the fibre's method cannot take.</summary>
    public static readonly DiagnosticDescriptor InfiniteBound = Error("SIG2030", "Infinite bound not supported", "The {0} bound of '${1}' is infinite, which {2}", Math);

    /// <summary>SIG2040: a class weight outside [0, 1000].</summary>
    public static readonly DiagnosticDescriptor ClassWeightRange = Error("SIG2040", "Class weight out of range", "Class '{0}' has weight {1}; a class weight is between 0 (never priced) and 1000", Math);

    // 3xxx: target limits.

    /// <summary>SIG3001: a map name longer than BPF allows.</summary>
    public static readonly DiagnosticDescriptor MapNameTooLong = Error("SIG3001", "Map name too long", "Map name '{0}' has {1} characters; BPF map names hold at most 15", Target);

    /// <summary>SIG3002: a tracepoint the kernel does not have.</summary>
    public static readonly DiagnosticDescriptor UnknownTracepoint = Error("SIG3002", "Unknown tracepoint", "Tracepoint '{0}:{1}' does not exist in the kernel's tracepoint catalogue{2}", Target);

    /// <summary>SIG3003: fixed-point numbers that overflow 64 bits.</summary>
    public static readonly DiagnosticDescriptor FixedPointOverflow = Error("SIG3003", "Fixed-point overflow", "The kernel's fixed-point update of '@{0}' overflows 64 bits: {1}", Target);

    /// <summary>SIG3004: a kernel price whose row is not one sensed term.</summary>
    public static readonly DiagnosticDescriptor KernelRow = Error("SIG3004", "Kernel row shape", "The kernel updates the price of '@{0}' from the sensed '${1}' alone; write the row as '@{0}[t] >= ${1}[t]'", Target);

    /// <summary>SIG3005: two prices qualify for the kernel.</summary>
    public static readonly DiagnosticDescriptor KernelPrices = Error("SIG3005", "Several kernel prices", "The kernel keeps one price per fibre; '@{0}' and '@{1}' both have a sensed row and a price map", Target);

    /// <summary>SIG3006: a dynamic index larger than a kernel map may be.</summary>
    public static readonly DiagnosticDescriptor CapacityTooLarge = Error("SIG3006", "Capacity too large", "Index '{0}' holds up to {1} members; a kernel map holds at most {2}", Target);

    /// <summary>SIG3007: index sets too large for the compile-time analyses.</summary>
    public static readonly DiagnosticDescriptor AnalysisTooLarge = Error("SIG3007", "Analysis too large", "Analysing {0} visits more than {1} index members; use smaller index sets or tables", Target);

    /// <summary>SIG3008: a sensor the eBPF backend cannot build.</summary>
    public static readonly DiagnosticDescriptor KernelSensor = Error("SIG3008", "Kernel sensor limit", "The eBPF backend cannot build '{0}': {1}", Target);

    /// <summary>SIG3009: an action the kernel cannot apply as written.</summary>
    public static readonly DiagnosticDescriptor KernelAction = Error("SIG3009", "Kernel action limit", "The kernel cannot apply '{0}': {1}", Target);

    /// <summary>SIG3010: a price the kernel or the daemon's price maps cannot keep.</summary>
    public static readonly DiagnosticDescriptor KernelPrice = Error("SIG3010", "Kernel price limit", "The eBPF backend cannot keep the price of '@{0}': {1}", Target);

    /// <summary>SIG3011: two fibre names that become one name in generated code.</summary>
    public static readonly DiagnosticDescriptor GeneratedNameCollision = Error("SIG3011", "Generated name collision", "'{0}' and '{1}' both become '{2}' in the generated {3}; rename one", Target);

    /// <summary>SIG3014: classes and allow-lists in a fibre with no behaviour program.</summary>
    public static readonly DiagnosticDescriptor ProcessListsNeedBehaviour = Error("SIG3014", "Process lists need a behaviour program", "'{0}' needs a behaviour fibre (index ... by tree): only its eBPF program knows each process's executable and cgroup", Target);

    /// <summary>SIG3012: a fibre name that becomes a name the generated code already uses.</summary>
    public static readonly DiagnosticDescriptor GeneratedNameReserved = Error("SIG3012", "Generated name reserved", "'{0}' becomes '{1}' in the generated {2}, where '{1}' is {3}; rename it", Target);

    /// <summary>SIG3013: a fibre-wide limit of a backend.</summary>
    public static readonly DiagnosticDescriptor TargetLimit = Error("SIG3013", "Target limit", "The {0} backend cannot build fibre '{1}': {2}", Target);

    /// <summary>SIG3015: a row the daemon cannot price.</summary>
    public static readonly DiagnosticDescriptor DaemonRow = Warning("SIG3015", "Daemon row shape", "The daemon cannot price '{0}': {1}", Target);

    /// <summary>SIG3016: a solve method the daemon does not run for the fibre's shape.</summary>
    public static readonly DiagnosticDescriptor DaemonMethod = Warning("SIG3016", "Daemon solve method", "The daemon cannot run '{0}': {1}", Target);

    /// <summary>SIG3017: an action the daemon cannot carry out for the fibre's shape.</summary>
    public static readonly DiagnosticDescriptor DaemonAction = Warning("SIG3017", "Daemon action", "The daemon cannot carry out '{0}': {1}", Target);

    /// <summary>SIG3018: a sensor, metric or index the daemon cannot run as written.</summary>
    public static readonly DiagnosticDescriptor DaemonShape = Warning("SIG3018", "Daemon fibre shape", "The daemon cannot run fibre '{0}': {1}", Target);

    // 9999: internal.

    /// <summary>SIG9999: an unexpected failure inside the compiler.</summary>
    public static readonly DiagnosticDescriptor InternalError = Error("SIG9999", "Internal compiler error", "Internal compiler error: {0}", Internal);

    private static IReadOnlyList<DiagnosticDescriptor>? s_all;

    /// <summary>Every descriptor, sorted by id.</summary>
    public static IReadOnlyList<DiagnosticDescriptor> All => s_all ??= typeof(DiagnosticDescriptors)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(static f => f.FieldType == typeof(DiagnosticDescriptor))
        .Select(static f => (DiagnosticDescriptor)f.GetValue(null)!)
        .OrderBy(static d => d.Id, System.StringComparer.Ordinal)
        .ToArray();

    /// <summary>The descriptor with <paramref name="id"/>, or null.</summary>
    public static DiagnosticDescriptor? Find(string id) => All.FirstOrDefault(d => d.Id == id);

    private static DiagnosticDescriptor Error(string id, string title, string format, string category) =>
        new(id, title, format, category, DiagnosticSeverity.Error);

    private static DiagnosticDescriptor Warning(string id, string title, string format, string category) =>
        new(id, title, format, category, DiagnosticSeverity.Warning);
}
