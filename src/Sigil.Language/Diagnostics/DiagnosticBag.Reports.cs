using Sigil.Language.Text;

namespace Sigil.Language.Diagnostics;

// One method per problem: the call site names what it found and where; the wording lives in
// DiagnosticDescriptors and here.
internal sealed partial class DiagnosticBag
{
    /// <summary>SIG0001: Unexpected character.</summary>
    public void ReportUnexpectedCharacter(TextSpan span, string character) => Report(DiagnosticDescriptors.UnexpectedCharacter, span, character);

    /// <summary>SIG0002: Unterminated string.</summary>
    public void ReportUnterminatedString(TextSpan span) => Report(DiagnosticDescriptors.UnterminatedString, span);

    /// <summary>SIG0003: Unexpected token.</summary>
    public void ReportUnexpectedToken(TextSpan span, string found, string expected) => Report(DiagnosticDescriptors.UnexpectedToken, span, found, expected);

    /// <summary>SIG0004: Missing token.</summary>
    public void ReportMissingToken(TextSpan span, string expected, string before) => Report(DiagnosticDescriptors.MissingToken, span, expected, before);

    /// <summary>SIG0005: Nesting too deep.</summary>
    public void ReportNestingTooDeep(TextSpan span, string maxDepth) => Report(DiagnosticDescriptors.NestingTooDeep, span, maxDepth);

    /// <summary>SIG0006: Statement too long.</summary>
    public void ReportStatementTooLong(TextSpan span, string maxTokens) => Report(DiagnosticDescriptors.StatementTooLong, span, maxTokens);

    /// <summary>SIG0007: Too many errors.</summary>
    public void ReportTooManyErrors(TextSpan span, string maxErrors) => Report(DiagnosticDescriptors.TooManyErrors, span, maxErrors);

    /// <summary>SIG0008: Invalid number.</summary>
    public void ReportInvalidNumber(TextSpan span, string text) => Report(DiagnosticDescriptors.InvalidNumber, span, text);

    /// <summary>SIG0009: File too large.</summary>
    public void ReportFileTooLarge(TextSpan span, string length, string maxLength) => Report(DiagnosticDescriptors.FileTooLarge, span, length, maxLength);

    /// <summary>SIG0011: Bidirectional control character.</summary>
    public void ReportBidirectionalControl(TextSpan span, string codePoint) => Report(DiagnosticDescriptors.BidirectionalControl, span, codePoint);

    /// <summary>SIG1001: Invalid name.</summary>
    public void ReportInvalidName(TextSpan span, string name, string reason) => Report(DiagnosticDescriptors.InvalidName, span, name, reason);

    /// <summary>SIG1002: Duplicate name.</summary>
    public void ReportDuplicateName(TextSpan span, string name, string existingKind) => Report(DiagnosticDescriptors.DuplicateName, span, name, existingKind);

    /// <summary>SIG1003: Undefined name.</summary>
    public void ReportUndefinedName(TextSpan span, string kind, string name, string suggestion) => Report(DiagnosticDescriptors.UndefinedName, span, kind, name, suggestion);

    /// <summary>SIG1004: Wrong kind of name.</summary>
    public void ReportWrongNameKind(TextSpan span, string name, string actualKind, string expectedKind) => Report(DiagnosticDescriptors.WrongNameKind, span, name, actualKind, expectedKind);

    /// <summary>SIG1005: Unit mismatch.</summary>
    public void ReportUnitMismatch(TextSpan span, string operation, string leftUnit, string rightUnit) => Report(DiagnosticDescriptors.UnitMismatch, span, operation, leftUnit, rightUnit);

    /// <summary>SIG1006: Wrong unit.</summary>
    public void ReportUnitExpected(TextSpan span, string expectedUnit, string actualUnit) => Report(DiagnosticDescriptors.UnitExpected, span, expectedUnit, actualUnit);

    /// <summary>SIG1007: Invalid unit.</summary>
    public void ReportInvalidUnit(TextSpan span, string factor, string reason) => Report(DiagnosticDescriptors.InvalidUnit, span, factor, reason);

    /// <summary>SIG1008: Wrong number of subscripts.</summary>
    public void ReportSubscriptCount(TextSpan span, string name, string expected, string actual) => Report(DiagnosticDescriptors.SubscriptCount, span, name, expected, actual);

    /// <summary>SIG1009: Index set mismatch.</summary>
    public void ReportIndexSetMismatch(TextSpan span, string index, string set, string expectedSet) => Report(DiagnosticDescriptors.IndexSetMismatch, span, index, set, expectedSet);

    /// <summary>SIG1010: Unknown setting.</summary>
    public void ReportUnknownSetting(TextSpan span, string setting, string method, string suggestion) => Report(DiagnosticDescriptors.UnknownSetting, span, setting, method, suggestion);

    /// <summary>SIG1011: Unknown word.</summary>
    public void ReportUnknownWord(TextSpan span, string word, string kind, string choices, string suggestion) => Report(DiagnosticDescriptors.UnknownWord, span, word, kind, choices, suggestion);

    /// <summary>SIG1012: Invalid setting value.</summary>
    public void ReportSettingValue(TextSpan span, string setting, string expectation) => Report(DiagnosticDescriptors.SettingValue, span, setting, expectation);

    /// <summary>SIG1013: Setting of another method.</summary>
    public void ReportSettingNotForMethod(TextSpan span, string setting, string owner, string method) => Report(DiagnosticDescriptors.SettingNotForMethod, span, setting, owner, method);

    /// <summary>SIG1014: Table file not found.</summary>
    public void ReportTableNotFound(TextSpan span, string path, string detail) => Report(DiagnosticDescriptors.TableNotFound, span, path, detail);

    /// <summary>SIG1015: Table column missing.</summary>
    public void ReportTableColumnMissing(TextSpan span, string path, string column) => Report(DiagnosticDescriptors.TableColumnMissing, span, path, column);

    /// <summary>SIG1016: Table cell not a number.</summary>
    public void ReportTableBadNumber(TextSpan span, string path, string line, string column, string cell) => Report(DiagnosticDescriptors.TableBadNumber, span, path, line, column, cell);

    /// <summary>SIG1017: Malformed table.</summary>
    public void ReportTableMalformed(TextSpan span, string path, string problem) => Report(DiagnosticDescriptors.TableMalformed, span, path, problem);

    /// <summary>SIG1018: Invalid string.</summary>
    public void ReportInvalidString(TextSpan span, string what, string text, string reason) => Report(DiagnosticDescriptors.InvalidString, span, what, text, reason);

    /// <summary>SIG1019: Expected a value.</summary>
    public void ReportExpectedConstant(TextSpan span, string found) => Report(DiagnosticDescriptors.ExpectedConstant, span, found);

    /// <summary>SIG1020: No solve.</summary>
    public void ReportSolveMissing(TextSpan span, string fibre) => Report(DiagnosticDescriptors.SolveMissing, span, fibre);

    /// <summary>SIG1021: Duplicate declaration.</summary>
    public void ReportDuplicateDeclaration(TextSpan span, string owner, string what) => Report(DiagnosticDescriptors.DuplicateDeclaration, span, owner, what);

    /// <summary>SIG1022: Coupled variable without utility.</summary>
    public void ReportVariableWithoutUtility(TextSpan span, string variable, string row) => Report(DiagnosticDescriptors.VariableWithoutUtility, span, variable, row);

    /// <summary>SIG1023: Utility reads another variable.</summary>
    public void ReportUtilityOfOtherVariable(TextSpan span, string variable, string found, string subscript) => Report(DiagnosticDescriptors.UtilityOfOtherVariable, span, variable, found, subscript);

    /// <summary>SIG1024: Row is not a comparison.</summary>
    public void ReportCoupleShape(TextSpan span, string found) => Report(DiagnosticDescriptors.CoupleShape, span, found);

    /// <summary>SIG1025: Row without name.</summary>
    public void ReportRowNeedsName(TextSpan span) => Report(DiagnosticDescriptors.RowNeedsName, span);

    /// <summary>SIG1026: Label on a resource row.</summary>
    public void ReportLabelOnResourceRow(TextSpan span, string resource, string label) => Report(DiagnosticDescriptors.LabelOnResourceRow, span, resource, label);

    /// <summary>SIG1027: Misplaced resource.</summary>
    public void ReportResourcePlacement(TextSpan span, string resource, string problem) => Report(DiagnosticDescriptors.ResourcePlacement, span, resource, problem);

    /// <summary>SIG1028: Free index in a row.</summary>
    public void ReportFreeIndexInRow(TextSpan span, string index, string resource, string set) => Report(DiagnosticDescriptors.FreeIndexInRow, span, index, resource, set);

    /// <summary>SIG1029: Invalid argument.</summary>
    public void ReportInvalidArgument(TextSpan span, string owner, string problem) => Report(DiagnosticDescriptors.InvalidArgument, span, owner, problem);

    /// <summary>SIG1030: Invalid condition.</summary>
    public void ReportBadCondition(TextSpan span, string found) => Report(DiagnosticDescriptors.BadCondition, span, found);

    /// <summary>SIG1031: Sensor unit.</summary>
    public void ReportSensorUnit(TextSpan span, string sensor, string variable, string unit) => Report(DiagnosticDescriptors.SensorUnit, span, sensor, variable, unit);

    /// <summary>SIG1041: Sensor meaning.</summary>
    public void ReportSensorMeaning(TextSpan span, string what, string problem) => Report(DiagnosticDescriptors.SensorMeaning, span, what, problem);

    /// <summary>SIG1032: Sensor key.</summary>
    public void ReportSensorKey(TextSpan span, string variable, string problem) => Report(DiagnosticDescriptors.SensorKey, span, variable, problem);

    /// <summary>SIG1033: Invalid metric name.</summary>
    public void ReportMetricName(TextSpan span, string name, string reason) => Report(DiagnosticDescriptors.MetricName, span, name, reason);

    /// <summary>SIG1034: Invalid pattern.</summary>
    public void ReportInvalidPattern(TextSpan span, string pattern) => Report(DiagnosticDescriptors.InvalidPattern, span, pattern);

    /// <summary>SIG1035: Invalid index.</summary>
    public void ReportInvalidIndex(TextSpan span, string index, string problem) => Report(DiagnosticDescriptors.InvalidIndex, span, index, problem);

    /// <summary>SIG1036: No rows.</summary>
    public void ReportNoRows(TextSpan span, string fibre) => Report(DiagnosticDescriptors.NoRows, span, fibre);

    /// <summary>SIG1037: Online solving.</summary>
    public void ReportOnlineRequirement(TextSpan span, string problem) => Report(DiagnosticDescriptors.OnlineRequirement, span, problem);

    /// <summary>SIG1038: Resource without row.</summary>
    public void ReportResourceWithoutRow(TextSpan span, string resource) => Report(DiagnosticDescriptors.ResourceWithoutRow, span, resource);

    /// <summary>SIG1039: Column read at a foreign index.</summary>
    public void ReportColumnIndex(TextSpan span, string column, string table, string index, string set) => Report(DiagnosticDescriptors.ColumnIndex, span, column, table, index, set);

    /// <summary>SIG1040: Actuator condition.</summary>
    public void ReportActuatorCondition(TextSpan span, string actuator, string problem) => Report(DiagnosticDescriptors.ActuatorCondition, span, actuator, problem);

    /// <summary>SIG1050: Unknown table key.</summary>
    public void ReportTableKeyUnknown(TextSpan span, string table, string key, string where, string set) => Report(DiagnosticDescriptors.TableKeyUnknown, span, table, key, where, set);

    /// <summary>SIG1051: Duplicate table entry.</summary>
    public void ReportTableEntryDuplicate(TextSpan span, string table, string row, string column, string first, string second) => Report(DiagnosticDescriptors.TableEntryDuplicate, span, table, row, column, first, second);

    /// <summary>SIG1052: Table over a dynamic set.</summary>
    public void ReportTableSet(TextSpan span, string table, string set, string problem) => Report(DiagnosticDescriptors.TableSet, span, table, set, problem);

    /// <summary>SIG1053: Infinity outside a bound.</summary>
    public void ReportInfinityOutsideBound(TextSpan span, string what) => Report(DiagnosticDescriptors.InfinityOutsideBound, span, what);

    /// <summary>SIG2001: Nonlinear row.</summary>
    public void ReportNonlinearRow(TextSpan span, string problem) => Report(DiagnosticDescriptors.NonlinearRow, span, problem);

    /// <summary>SIG2002: Utility not recognised.</summary>
    public void ReportUtilityNotRecognised(TextSpan span, string variable, string problem) => Report(DiagnosticDescriptors.UtilityNotRecognised, span, variable, problem);

    /// <summary>SIG2003: Utility not concave.</summary>
    public void ReportUtilityNotConcave(TextSpan span, string variable, string problem) => Report(DiagnosticDescriptors.UtilityNotConcave, span, variable, problem);

    /// <summary>SIG2004: Utility undefined on the bounds.</summary>
    public void ReportUtilityDomain(TextSpan span, string variable, string least) => Report(DiagnosticDescriptors.UtilityDomain, span, variable, least);

    /// <summary>SIG2005: Bounds inverted.</summary>
    public void ReportBoundsInverted(TextSpan span, string lower, string variable, string upper, string member) => Report(DiagnosticDescriptors.BoundsInverted, span, lower, variable, upper, member);

    /// <summary>SIG2006: Infeasible row.</summary>
    public void ReportInfeasible(TextSpan span, string row, string member, string minLoad, string budget) => Report(DiagnosticDescriptors.Infeasible, span, row, member, minLoad, budget);

    /// <summary>SIG2007: Unreachable equality.</summary>
    public void ReportEqualityUnreachable(TextSpan span, string row, string member, string low, string high, string rhs) => Report(DiagnosticDescriptors.EqualityUnreachable, span, row, member, low, high, rhs);

    /// <summary>SIG2008: Step above the stability bound.</summary>
    public void ReportStepAboveBound(TextSpan span, string step, string bound) => Report(DiagnosticDescriptors.StepAboveBound, span, step, bound);

    /// <summary>SIG2009: Certificate fails.</summary>
    public void ReportCertificateFailed(TextSpan span, string certificate, string problem) => Report(DiagnosticDescriptors.CertificateFailed, span, certificate, problem);

    /// <summary>SIG2010: Kill below throttle.</summary>
    public void ReportKillBelowThrottle(TextSpan span, string kill, string price, string throttle) => Report(DiagnosticDescriptors.KillBelowThrottle, span, kill, price, throttle);

    /// <summary>SIG2011: No automatic step.</summary>
    public void ReportAutoStep(TextSpan span, string problem) => Report(DiagnosticDescriptors.AutoStep, span, problem);

    /// <summary>SIG2012: Division by zero.</summary>
    public void ReportDivisionByZero(TextSpan span, string expression) => Report(DiagnosticDescriptors.DivisionByZero, span, expression);

    /// <summary>SIG2013: Value overflows.</summary>
    public void ReportNotFinite(TextSpan span, string expression) => Report(DiagnosticDescriptors.NotFinite, span, expression);

    /// <summary>SIG2014: Constant inside a sum.</summary>
    public void ReportConstantInSum(TextSpan span, string index) => Report(DiagnosticDescriptors.ConstantInSum, span, index);

    /// <summary>SIG2015: Kill at price zero.</summary>
    public void ReportKillAtZero(TextSpan span, string statement, string threshold) => Report(DiagnosticDescriptors.KillAtZero, span, statement, threshold);

    /// <summary>SIG2016: Threshold above price_max.</summary>
    public void ReportThresholdAbovePriceMax(TextSpan span, string statement, string priceMax, string threshold) => Report(DiagnosticDescriptors.ThresholdAbovePriceMax, span, statement, priceMax, threshold);

    /// <summary>SIG2017: Refuse on every call.</summary>
    public void ReportRefuseEverything(TextSpan span, string statement) => Report(DiagnosticDescriptors.RefuseEverything, span, statement);

    /// <summary>SIG2018: Term ignores its sum.</summary>
    public void ReportTermIgnoresSum(TextSpan span, string term, string index) => Report(DiagnosticDescriptors.TermIgnoresSum, span, term, index);

    /// <summary>SIG2019: Not decomposable across nodes.</summary>
    public void ReportNotDecomposable(TextSpan span, string resource, string reason) => Report(DiagnosticDescriptors.NotDecomposable, span, resource, reason);

    /// <summary>SIG2030: Infinite bound not supported.</summary>
    public void ReportInfiniteBound(TextSpan span, string side, string variable, string reason) => Report(DiagnosticDescriptors.InfiniteBound, span, side, variable, reason);

    /// <summary>SIG1070: Bad process path.</summary>
    public void ReportProcessPathInvalid(TextSpan span, string kind, string path, string problem) => Report(DiagnosticDescriptors.ProcessPathInvalid, span, kind, path, problem);

    /// <summary>SIG1071: Duplicate process path.</summary>
    public void ReportProcessPathDuplicate(TextSpan span, string kind, string path, string where) => Report(DiagnosticDescriptors.ProcessPathDuplicate, span, kind, path, where);

    /// <summary>SIG1072: Duplicate class.</summary>
    public void ReportClassDuplicate(TextSpan span, string name) => Report(DiagnosticDescriptors.ClassDuplicate, span, name);

    /// <summary>SIG1073: Unknown process set.</summary>
    public void ReportProcessSetUnknown(TextSpan span, string word) => Report(DiagnosticDescriptors.ProcessSetUnknown, span, word);

    /// <summary>SIG1074: Class weight expected.</summary>
    public void ReportClassWeightExpected(TextSpan span, string name, string found) => Report(DiagnosticDescriptors.ClassWeightExpected, span, name, found);

    /// <summary>SIG2040: Class weight out of range.</summary>
    public void ReportClassWeightRange(TextSpan span, string name, string weight) => Report(DiagnosticDescriptors.ClassWeightRange, span, name, weight);

    /// <summary>SIG3014: Process lists need a behaviour program.</summary>
    public void ReportProcessListsNeedBehaviour(TextSpan span, string statement) => Report(DiagnosticDescriptors.ProcessListsNeedBehaviour, span, statement);

    /// <summary>SIG3001: Map name too long.</summary>
    public void ReportMapNameTooLong(TextSpan span, string name, string length) => Report(DiagnosticDescriptors.MapNameTooLong, span, name, length);

    /// <summary>SIG3002: Unknown tracepoint.</summary>
    public void ReportUnknownTracepoint(TextSpan span, string category, string eventName, string detail) => Report(DiagnosticDescriptors.UnknownTracepoint, span, category, eventName, detail);

    /// <summary>SIG3003: Fixed-point overflow.</summary>
    public void ReportFixedPointOverflow(TextSpan span, string resource, string problem) => Report(DiagnosticDescriptors.FixedPointOverflow, span, resource, problem);

    /// <summary>SIG3004: Kernel row shape.</summary>
    public void ReportKernelRow(TextSpan span, string resource, string variable) => Report(DiagnosticDescriptors.KernelRow, span, resource, variable);

    /// <summary>SIG3005: Several kernel prices.</summary>
    public void ReportKernelPrices(TextSpan span, string first, string second) => Report(DiagnosticDescriptors.KernelPrices, span, first, second);

    /// <summary>SIG3006: Capacity too large.</summary>
    public void ReportCapacityTooLarge(TextSpan span, string index, string capacity, string maxCapacity) => Report(DiagnosticDescriptors.CapacityTooLarge, span, index, capacity, maxCapacity);

    /// <summary>SIG3007: Analysis too large.</summary>
    public void ReportAnalysisTooLarge(TextSpan span, string what, string maxVisits) => Report(DiagnosticDescriptors.AnalysisTooLarge, span, what, maxVisits);

    /// <summary>SIG3008 to SIG3013: a backend's limit, worded by the backend's check (Emit/TargetProblem).</summary>
    public void ReportTargetProblem(TextSpan span, Emit.TargetProblem problem) => Report(problem.Descriptor, span, System.Linq.Enumerable.ToArray(problem.Arguments));

    /// <summary>SIG9999: Internal compiler error.</summary>
    public void ReportInternalError(TextSpan span, string problem) => Report(DiagnosticDescriptors.InternalError, span, problem);
}
