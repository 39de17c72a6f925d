//===- LockOrderPlugin.cpp - the lockorder Clang plugin -------------------===//
//
// The Clang front end of lockorder: reads the plugin arguments, loads the
// rules through the C core, resolves the rules' lock names through the
// translation unit's record types, runs LockAnalysis on every function
// defined in the main file, and words its findings as Clang diagnostics.
//
// Findings are warnings made with getCustomDiagID: unlike a -W group they
// are not turned into errors by a kernel build's -Werror, so adding the
// plugin to a build never breaks it by surprise.  A CI that wants findings
// to fail the compile passes -fplugin-arg-lockorder-werror.
//
// What it does not do: no lock semantics live here (LockAnalysis.cpp), and
// no rule semantics (the C core).
//
//===----------------------------------------------------------------------===//

#include "LockAnalysis.h"
#include "lockorder.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendPluginRegistry.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/FileSystem.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <set>

using namespace clang;
using namespace lockorder;

namespace {

struct PluginOptions {
  std::string RulesPath;
  std::string SummaryPath;
  bool Werror = false;
  bool Verbose = false;
};

/// Source locations for the rules file and the files it includes, so
/// that notes and errors point at them like at any other source.
class RulesFiles {
public:
  RulesFiles(SourceManager &SM, FileManager &FM) : SM(SM), FM(FM) {}

  SourceLocation get(const char *File, int Line, int Col) {
    if (!File || Line <= 0)
      return SourceLocation();
    auto It = IDs.find(File);
    FileID FID;
    if (It != IDs.end()) {
      FID = It->second;
    } else {
      auto FE = FM.getOptionalFileRef(File);
      if (!FE)
        return SourceLocation();
      FID = SM.createFileID(*FE, SourceLocation(), SrcMgr::C_User);
      IDs[File] = FID;
    }
    if (FID.isInvalid())
      return SourceLocation();
    return SM.translateLineCol(FID, Line, Col > 0 ? Col : 1);
  }

private:
  SourceManager &SM;
  FileManager &FM;
  llvm::StringMap<FileID> IDs;
};

/// Collects findings, drops the ones already seen at the same place, and
/// emits them sorted by location with their notes.
class DiagReporter : public LockHandler {
public:
  DiagReporter(DiagnosticsEngine &D, SourceManager &SM, RulesFiles &RF,
               const lo_rules *Rules, const PluginOptions &Opts)
      : D(D), SM(SM), RF(RF), Rules(Rules), Opts(Opts) {
    WarnID = D.getCustomDiagID(Opts.Werror ? DiagnosticsEngine::Error
                                           : DiagnosticsEngine::Warning,
                               "%0");
    NoteID = D.getCustomDiagID(DiagnosticsEngine::Note, "%0");
    RemarkID = D.getCustomDiagID(DiagnosticsEngine::Remark, "%0");
  }

  void handleFinding(const Finding &F) override {
    if (!Seen.insert({F.Loc.getRawEncoding(), F.Message}).second)
      return;
    // One deadlock, seen from every caller up the chain, is one finding:
    // when one finding's path (its site, then each hop) ends with another's
    // whole path, keep only the shorter, where the held lock and the
    // acquisition meet.
    std::vector<unsigned> Path = pathOf(F);
    auto Key = std::make_pair(F.Held.Name, F.Message);
    std::vector<size_t> &Same = ByMessage[Key];
    for (size_t I : Same) {
      std::vector<unsigned> Old = pathOf(Findings[I]);
      if (endsWith(Path, Old))
        return;
      if (endsWith(Old, Path)) {
        Findings[I] = F;
        return;
      }
    }
    Same.push_back(Findings.size());
    Findings.push_back(F);
  }

  static std::vector<unsigned> pathOf(const Finding &F) {
    std::vector<unsigned> P{F.Loc.getRawEncoding()};
    for (const Hop &H : F.Chain)
      P.push_back(H.Loc.getRawEncoding());
    return P;
  }

  static bool endsWith(const std::vector<unsigned> &P,
                       const std::vector<unsigned> &Suffix) {
    return Suffix.size() <= P.size() &&
           std::equal(Suffix.rbegin(), Suffix.rend(), P.rbegin());
  }

  void handleSkipped(SourceLocation Loc, llvm::StringRef What) override {
    if (Opts.Verbose)
      D.Report(Loc, RemarkID) << What;
  }

  void emit() {
    // Sorted by place; findings at one place keep the order they came in.
    std::vector<size_t> Idx(Findings.size());
    for (size_t I = 0; I < Idx.size(); ++I)
      Idx[I] = I;
    std::sort(Idx.begin(), Idx.end(), [&](size_t A, size_t B) {
      SourceLocation LA = Findings[A].Loc, LB = Findings[B].Loc;
      if (LA != LB)
        return SM.isBeforeInTranslationUnit(LA, LB);
      return A < B;
    });
    for (size_t I : Idx)
      emitOne(Findings[I]);
    Findings.clear();
  }

private:
  DiagnosticsEngine &D;
  SourceManager &SM;
  RulesFiles &RF;
  const lo_rules *Rules;
  const PluginOptions &Opts;
  unsigned WarnID, NoteID, RemarkID;
  std::vector<Finding> Findings;
  std::set<std::pair<unsigned, std::string>> Seen;
  std::map<std::pair<std::string, std::string>, std::vector<size_t>>
      ByMessage;

  static std::string name(const FunctionDecl *FD) {
    return FD ? FD->getName().str() : std::string("?");
  }

  void note(SourceLocation Loc, const std::string &Text) {
    if (Loc.isValid())
      D.Report(Loc, NoteID) << Text;
  }

  void emitOne(const Finding &F) {
    D.Report(F.Loc, WarnID) << F.Message;
    // The chain, from the checked function down to the acquisition.
    for (size_t I = 0; I < F.Chain.size(); ++I) {
      const Hop &H = F.Chain[I];
      if (I + 1 < F.Chain.size())
        note(H.Loc, "'" + name(H.In) + "' calls '" +
                        name(F.Chain[I + 1].In) + "' here");
      else
        note(H.Loc, "'" + acquiredName(F) + "' acquired here in '" +
                        name(H.In) + "'");
    }
    if (F.HasHeld)
      note(F.Held.Loc, "'" + F.Held.Name + "' " +
                           (F.Held.Asserted ? "asserted held here"
                                            : "acquired here"));
    if (F.OtherLoc.isValid())
      note(F.OtherLoc, F.OtherText);
    // Every statement of the rules that puts the two locks in order, in
    // order; for the other checks, the one rule broken.
    int Path[16];
    size_t NPath = 0;
    bool Ordered = (F.V.kind == LO_V_ORDER || F.V.kind == LO_V_SRCU_READER ||
                    F.V.kind == LO_V_SRCU_SYNC) &&
                   F.AcqDecl >= 0 && F.HeldDecl >= 0 &&
                   lo_rules_outside(Rules, F.AcqDecl, F.HeldDecl, Path, 16,
                                    &NPath) &&
                   NPath > 0;
    if (!Ordered && F.V.rule >= 0) {
      Path[0] = F.V.rule;
      NPath = 1;
    }
    for (size_t I = 0; I < NPath && I < 16; ++I) {
      const lo_rule *R = lo_rules_rule(Rules, Path[I]);
      note(RF.get(R->file, R->line, 1), "rule stated here");
    }
  }

  /// The acquired lock's name is the message's first quoted word.
  static std::string acquiredName(const Finding &F) {
    size_t A = F.Message.find('\'');
    size_t B = A == std::string::npos ? A : F.Message.find('\'', A + 1);
    if (B == std::string::npos)
      return "lock";
    return F.Message.substr(A + 1, B - A - 1);
  }
};

/// Maps the rules' lock names onto class keys of this translation unit.
class RulesResolver {
public:
  RulesResolver(ASTContext &Ctx, const lo_rules *Rules, ClassTable &Classes,
                DiagnosticsEngine &D, RulesFiles &RF, bool Verbose,
                lo_summary *Summary)
      : Ctx(Ctx), Rules(Rules), Classes(Classes), D(D), RF(RF),
        Verbose(Verbose), Summary(Summary) {}

  void run() {
    for (const Decl *Dl : Ctx.getTranslationUnitDecl()->decls())
      if (const auto *RD = dyn_cast<RecordDecl>(Dl))
        if (RD->isCompleteDefinition() && !RD->getName().empty())
          Records[RD->getName()] = RD;
    unsigned WarnID = D.getCustomDiagID(DiagnosticsEngine::Warning, "%0");
    for (size_t I = 0; I < lo_rules_lock_count(Rules); ++I) {
      const lo_lock *L = lo_rules_lock(Rules, I);
      if (!L->root) {
        Classes.declare(L->name, Rules, static_cast<int>(I));
        continue;
      }
      auto It = Records.find(L->root_tag);
      if (It == Records.end())
        continue; // not in this translation unit: nothing to match
      std::string Why;
      std::string Key = resolve(It->second, L, Why);
      // For `lockorder merge`, which says which names no unit resolves.
      if (Summary) {
        lo_sname N{L->name, !Key.empty(), Key.empty() ? Why.c_str() : nullptr};
        lo_summary_add_name(Summary, &N);
      }
      // A field that exists only under some configuration (xen_lock needs
      // CONFIG_KVM_XEN) is missing from many translation units, so this
      // is said in verbose mode only; `lockorder check` reports a name
      // that resolves in no translation unit of the tree.
      if (Key.empty() && Verbose) {
        SourceLocation Loc = RF.get(L->file, L->line, L->col);
        std::string Msg = "rules lock '" + std::string(L->name) +
                          "' names no field: " + Why;
        if (Loc.isValid())
          D.Report(Loc, WarnID) << Msg;
        else
          D.Report(WarnID) << Msg;
        continue;
      }
      if (Key.empty())
        continue;
      Classes.declare(Key, Rules, static_cast<int>(I));
    }
  }

private:
  ASTContext &Ctx;
  const lo_rules *Rules;
  ClassTable &Classes;
  DiagnosticsEngine &D;
  RulesFiles &RF;
  bool Verbose;
  lo_summary *Summary;
  llvm::StringMap<const RecordDecl *> Records;

  static const RecordDecl *recordOf(QualType T) {
    T = T.getCanonicalType();
    while (T->isPointerType() || T->isArrayType())
      T = T->isPointerType() ? T->getPointeeType()
                             : QualType(T->getPointeeOrArrayElementType(), 0);
    const RecordDecl *RD = T->getAsRecordDecl();
    return RD ? RD->getDefinition() : nullptr;
  }

  std::string resolve(const RecordDecl *RD, const lo_lock *L,
                      std::string &Why) {
    const FieldDecl *FD = nullptr;
    for (size_t I = 0; I < L->nfields; ++I) {
      if (!RD) {
        Why = "'" + std::string(L->fields[I - 1]) + "' is not a struct";
        return "";
      }
      IdentifierInfo &II = Ctx.Idents.get(L->fields[I]);
      FD = nullptr;
      for (const NamedDecl *ND : RD->lookup(DeclarationName(&II))) {
        if (const auto *F = dyn_cast<FieldDecl>(ND))
          FD = F;
        else if (const auto *IF = dyn_cast<IndirectFieldDecl>(ND))
          FD = IF->getAnonField();
      }
      if (!FD) {
        std::string RN = recordName(RD);
        Why = "'" + std::string(RD->isUnion() ? "union " : "struct ") + RN +
              "' has no field '" + L->fields[I] + "'";
        return "";
      }
      RD = recordOf(FD->getType());
    }
    return FD ? classKeyForField(FD) : "";
  }
};

class LockOrderConsumer : public ASTConsumer {
public:
  LockOrderConsumer(CompilerInstance &CI, PluginOptions Opts)
      : CI(CI), Opts(std::move(Opts)) {}
  ~LockOrderConsumer() override { lo_rules_free(Rules); }

  /// Loads the rules; false (after reporting why) if they are unusable.
  bool loadRules() {
    DiagnosticsEngine &D = CI.getDiagnostics();
    RF = std::make_unique<RulesFiles>(CI.getSourceManager(),
                                      CI.getFileManager());
    lo_errors Errs{};
    Rules = lo_rules_parse_file(Opts.RulesPath.c_str(), &Errs);
    unsigned ErrID = D.getCustomDiagID(DiagnosticsEngine::Error, "%0");
    unsigned WarnID = D.getCustomDiagID(DiagnosticsEngine::Warning, "%0");
    unsigned NoteID = D.getCustomDiagID(DiagnosticsEngine::Note, "%0");
    for (size_t I = 0; I < Errs.n; ++I) {
      const lo_error &E = Errs.v[I];
      unsigned ID = E.severity == LO_SEV_ERROR     ? ErrID
                    : E.severity == LO_SEV_WARNING ? WarnID
                                                   : NoteID;
      SourceLocation Loc = RF->get(E.file, E.line, E.col);
      if (Loc.isValid()) {
        D.Report(Loc, ID) << E.msg;
      } else if (E.line <= 0 && E.severity == LO_SEV_ERROR) {
        // Unreadable: the core's message names the file and the reason.
        D.Report(ID) << ("cannot open rules file '" + Opts.RulesPath +
                         "': " + E.msg);
      } else {
        D.Report(ID) << (std::string(E.file ? E.file : "?") + ":" +
                         std::to_string(E.line) + ": " + E.msg);
      }
    }
    lo_errors_free(&Errs);
    return Rules != nullptr;
  }

  void HandleTranslationUnit(ASTContext &Ctx) override {
    if (!Rules || CI.getDiagnostics().hasErrorOccurred())
      return;
    SourceManager &SM = Ctx.getSourceManager();
    lo_summary *Summary = nullptr;
    std::string Source;
    if (!Opts.SummaryPath.empty()) {
      std::string Dir;
      if (auto FE = SM.getFileEntryRefForID(SM.getMainFileID()))
        Source = FE->getName().str();
      if (auto CWD = llvm::sys::fs::current_path(DirBuf); !CWD)
        Dir = std::string(DirBuf.begin(), DirBuf.end());
      Summary = lo_summary_new(Source.c_str(), Dir.c_str(),
                               Opts.RulesPath.c_str());
    }
    ClassTable Classes;
    RulesResolver(Ctx, Rules, Classes, CI.getDiagnostics(), *RF, Opts.Verbose,
                  Summary)
        .run();
    DiagReporter Reporter(CI.getDiagnostics(), SM, *RF, Rules, Opts);
    LockAnalysis Analysis(Ctx, Rules, Classes, Reporter);
    if (Summary) {
      Analysis.setSummary(Summary, Source);
      for (const Decl *D : Ctx.getTranslationUnitDecl()->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D))
          if (VD->getInit() &&
              SM.isInMainFile(SM.getExpansionLoc(VD->getLocation())))
            Analysis.recordInitializer(VD);
    }
    for (const Decl *D : Ctx.getTranslationUnitDecl()->decls()) {
      const auto *FD = dyn_cast<FunctionDecl>(D);
      if (!FD || !FD->doesThisDeclarationHaveABody())
        continue;
      if (!SM.isInMainFile(SM.getExpansionLoc(FD->getLocation())))
        continue;
      // The rules describe it: its body is the implementation of a lock.
      if (lo_rules_find_function(Rules, FD->getName().str().c_str()))
        continue;
      // Code the analysis does not understand must never take the
      // compiler down: a crash inside it skips the function.
      llvm::CrashRecoveryContext CRC;
      if (!CRC.RunSafely([&] { Analysis.runOnFunction(FD); }))
        Reporter.handleSkipped(FD->getLocation(),
                               "internal error while analysing '" +
                                   FD->getName().str() +
                                   "'; function skipped");
    }
    Analysis.finish();
    Reporter.emit();
    if (Summary) {
      // A summary that cannot be written is worth a warning, never a
      // failed compile.
      char *Err = nullptr;
      if (lo_summary_write(Summary, Opts.SummaryPath.c_str(), &Err) != 0) {
        DiagnosticsEngine &D = CI.getDiagnostics();
        D.Report(D.getCustomDiagID(DiagnosticsEngine::Warning,
                                   "lockorder cannot write summary '%0': %1"))
            << Opts.SummaryPath << (Err ? Err : "unknown error");
        free(Err);
      }
      lo_summary_free(Summary);
    }
  }

private:
  CompilerInstance &CI;
  PluginOptions Opts;
  lo_rules *Rules = nullptr;
  std::unique_ptr<RulesFiles> RF;
  llvm::SmallString<256> DirBuf;
};

class LockOrderAction : public PluginASTAction {
protected:
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 llvm::StringRef) override {
    auto C = std::make_unique<LockOrderConsumer>(CI, Opts);
    C->loadRules();
    return C;
  }

  bool ParseArgs(const CompilerInstance &CI,
                 const std::vector<std::string> &Args) override {
    DiagnosticsEngine &D = CI.getDiagnostics();
    for (const std::string &A : Args) {
      llvm::StringRef S(A);
      if (S.consume_front("rules="))
        Opts.RulesPath = S.str();
      else if (S.consume_front("summary="))
        Opts.SummaryPath = S.str();
      else if (S == "werror")
        Opts.Werror = true;
      else if (S == "verbose")
        Opts.Verbose = true;
      else {
        D.Report(D.getCustomDiagID(DiagnosticsEngine::Error,
                                   "unknown lockorder plugin argument '%0'; "
                                   "expected rules=FILE, summary=FILE, werror or verbose"))
            << A;
        return false;
      }
    }
    if (Opts.RulesPath.empty()) {
      D.Report(D.getCustomDiagID(
          DiagnosticsEngine::Error,
          "lockorder needs a rules file: add "
          "-fplugin-arg-lockorder-rules=FILE"));
      return false;
    }
    return true;
  }

  // Alongside the normal compile: the object file is still produced.  We
  // run before the main action rather than after it: with a consumer
  // after code generation, Clang must keep the whole AST alive through the
  // backend (no -clear-ast-before-backend), which cost 10% peak memory on
  // a large file; before it, the analysis is done and its memory reused
  // by the time the backend runs.
  ActionType getActionType() override { return AddBeforeMainAction; }

private:
  PluginOptions Opts;
};

} // namespace

static FrontendPluginRegistry::Add<LockOrderAction>
    X("lockorder", "check lock ordering against a rules file");
