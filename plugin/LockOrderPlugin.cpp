//===- LockOrderPlugin.cpp - the lockorder Clang plugin -------------------===//
//
// The Clang front end of lockorder: reads the plugin arguments, loads the
// rules through the C core, resolves the rules' lock names through the
// translation unit's record types, runs LockAnalysis on every function
// defined in the main file into the unit's summary, and then runs the C
// core over that one summary -- the same lo_merge_run() that `lockorder
// merge` runs over a whole tree -- and shows its findings as Clang
// diagnostics (DiagReporter), embeds the summary in the object file (SummaryEmbed), writes it
// (-summary=FILE, -summary-dir=DIR) and the
// findings as JSON (-findings=FILE, for `lockorder clangd`).
//
// What it does not do: no lock semantics live here (LockAnalysis), no rule
// semantics and no interprocedural step (the C core).
//
//===----------------------------------------------------------------------===//

#include "DiagReporter.h"
#include "LockAnalysis.h"
#include "RulesResolver.h"
#include "SummaryEmbed.h"
#include "SummaryWriter.h"
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

#include <cstdio>
#include <memory>
#include <vector>

using namespace clang;
using namespace lockorder;

namespace {

struct PluginOptions {
  std::string RulesPath;
  std::string SummaryPath;
  std::string FindingsPath;
  bool Werror = false;
  bool Verbose = false;
  bool Embed = true; // the summary into the object file (no-embed: not)
};

class LockOrderConsumer : public ASTConsumer {
public:
  LockOrderConsumer(CompilerInstance &CI, PluginOptions Opts,
                    std::shared_ptr<std::string> Embedded)
      : CI(CI), Opts(std::move(Opts)), Embedded(std::move(Embedded)) {}
  ~LockOrderConsumer() override { lo_rules_free(Rules); }

  /// Loads the rules; false (after reporting why) if they are unusable.
  bool loadRules() {
    DiagnosticsEngine &D = CI.getDiagnostics();
    Files = std::make_unique<SourceFiles>(CI.getSourceManager(),
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
      SourceLocation Loc = Files->get(E.file, E.line, E.col);
      if (Loc.isValid())
        D.Report(Loc, ID) << E.msg;
      else if (E.line <= 0)
        // Unreadable: the core's message names the file and the reason.
        D.Report(ID) << E.msg;
      else
        D.Report(ID) << (std::string(E.file ? E.file : "?") + ":" +
                         std::to_string(E.line) + ": " + E.msg);
    }
    lo_errors_free(&Errs);
    return Rules != nullptr;
  }

  void HandleTranslationUnit(ASTContext &Ctx) override {
    if (!Rules || CI.getDiagnostics().hasErrorOccurred())
      return;
    SourceManager &SM = Ctx.getSourceManager();
    std::string Source, Dir;
    if (auto FE = SM.getFileEntryRefForID(SM.getMainFileID()))
      Source = FE->getName().str();
    if (auto CWD = llvm::sys::fs::current_path(DirBuf); !CWD)
      Dir = std::string(DirBuf.begin(), DirBuf.end());
    // Preprocessed input (distcc sends a .i to another machine): the
    // source is the one its line markers name, and the directory it was
    // preprocessed in is unknown here (the daemon's is a temporary one).
    if (!CI.getFrontendOpts().Inputs.empty() &&
        CI.getFrontendOpts().Inputs[0].getKind().isPreprocessed()) {
      // The end of a preprocessed file is back in its main source (the
      // first line marker only applies after itself).
      PresumedLoc P =
          SM.getPresumedLoc(SM.getLocForEndOfFile(SM.getMainFileID()));
      if (P.isValid())
        Source = P.getFilename();
      Dir.clear();
    }
    lo_summary *Summary =
        lo_summary_new(Source.c_str(), Dir.c_str(), Opts.RulesPath.c_str());
    DiagReporter Reporter(CI.getDiagnostics(), *Files, Opts.Werror,
                          Opts.Verbose);
    SummaryWriter Writer(Summary, [&](SourceLocation L, llvm::StringRef W) {
      Reporter.handleSkipped(L, W);
    });
    ClassTable Classes;
    RulesResolver(Ctx, Rules, Classes, CI.getDiagnostics(), *Files,
                  Opts.Verbose, Writer)
        .run();
    LockAnalysis Analysis(Ctx, Rules, Classes, Writer);
    Analysis.setSource(Source);
    for (const Decl *D : Ctx.getTranslationUnitDecl()->decls())
      if (const auto *VD = dyn_cast<VarDecl>(D))
        if (VD->getInit() &&
            SM.isInMainFile(SM.getExpansionLoc(VD->getLocation())))
          Analysis.recordInitializer(VD);
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
    if (!Opts.SummaryPath.empty())
      writeSummary(Summary,
                   pathFor(Opts.SummaryPath, Source, ".lockorder.json"));
    if (Embedded) {
      size_t Len = 0;
      char *Text = lo_summary_write_string(Summary, &Len);
      Embedded->assign(Text, Len);
      free(Text);
    }
    // The findings: the core's machinery over this one translation unit,
    // as `lockorder merge` runs it over a whole tree.
    lo_merge *M = lo_merge_new(Rules);
    lo_merge_add(M, Summary);
    lo_merge_run(M, LO_MERGE_ALL);
    std::vector<FindingHandler *> Handlers{&Reporter};
    std::unique_ptr<JsonFindingsWriter> Json;
    if (!Opts.FindingsPath.empty()) {
      Json = std::make_unique<JsonFindingsWriter>(
          pathFor(Opts.FindingsPath, Source, ".json"));
      Handlers.push_back(Json.get());
    }
    for (FindingHandler *H : Handlers) {
      for (size_t I = 0; I < lo_merge_finding_count(M); ++I)
        H->handleFinding(*lo_merge_finding(M, I));
      H->finish(M);
    }
    if (Json)
      if (char *Err = Json->takeError())
        cannotWrite("findings", Json->path(), Err);
    lo_merge_free(M);
  }

private:
  CompilerInstance &CI;
  PluginOptions Opts;
  lo_rules *Rules = nullptr;
  std::unique_ptr<SourceFiles> Files;
  llvm::SmallString<256> DirBuf;
  std::shared_ptr<std::string> Embedded; // filled for SummaryEmbed, or null

  /// A file that cannot be written is worth a warning, never a failed
  /// compile.
  void cannotWrite(const char *What, const std::string &Path, char *Err) {
    DiagnosticsEngine &D = CI.getDiagnostics();
    D.Report(D.getCustomDiagID(DiagnosticsEngine::Warning,
                               "lockorder cannot write %0 '%1': %2"))
        << What << Path << (Err ? Err : "unknown error");
    free(Err);
  }

  void writeSummary(const lo_summary *S, const std::string &Path) {
    char *Err = nullptr;
    if (lo_summary_write(S, Path.c_str(), &Err) != 0)
      cannotWrite("summary", Path, Err);
  }

  /// PATH, or for a PATH ending in '/' (a directory, as a whole build's
  /// KCFLAGS names it: one value for every compile), the file in it for
  /// this compile: the main file's path with '/' as '%', then a hash of
  /// the object file's absolute path (one source built twice stays two
  /// files), then EXT.
  std::string pathFor(const std::string &Path, const std::string &Source,
                      const char *Ext) {
    if (Path.empty() || Path.back() != '/')
      return Path;
    llvm::sys::fs::create_directories(Path);
    std::string Flat;
    for (char C : Source)
      Flat += C == '/' ? '%' : C;
    llvm::SmallString<256> Out(CI.getFrontendOpts().OutputFile);
    llvm::sys::fs::make_absolute(Out);
    uint64_t H = 14695981039346656037ULL;
    for (char C : Out)
      H = (H ^ (unsigned char)C) * 1099511628211ULL;
    char Hex[17];
    snprintf(Hex, sizeof(Hex), "%016llx", (unsigned long long)H);
    return Path + Flat + "-" + std::string(Hex, 8) + Ext;
  }
};

class LockOrderAction : public PluginASTAction {
protected:
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 llvm::StringRef) override {
    std::shared_ptr<std::string> Embedded;
    if (Opts.Embed && emitsCode(CI)) {
      Embedded = std::make_shared<std::string>();
      embedSummary(CI, Embedded);
    }
    auto C = std::make_unique<LockOrderConsumer>(CI, Opts, Embedded);
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
      else if (S.consume_front("summary-dir=")) {
        Opts.SummaryPath = S.str();
        if (Opts.SummaryPath.empty() || Opts.SummaryPath.back() != '/')
          Opts.SummaryPath += '/';
      } else if (S == "no-embed")
        Opts.Embed = false;
      else if (S.consume_front("findings="))
        Opts.FindingsPath = S.str();
      else if (S == "werror")
        Opts.Werror = true;
      else if (S == "verbose")
        Opts.Verbose = true;
      else {
        D.Report(D.getCustomDiagID(DiagnosticsEngine::Error,
                                   "unknown lockorder plugin argument '%0'; "
                                   "expected rules=FILE, summary=FILE, summary-dir=DIR, "
                                   "findings=FILE, no-embed, werror or verbose"))
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
