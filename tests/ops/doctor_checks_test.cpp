// The checks of `assistd doctor` against real sockets, files, certificates and models.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "ops/doctor/checks.h"
#include "support/shared_data.h"

namespace assistd::ops::doctor {
namespace {

using std::chrono::days;
namespace fs = std::filesystem;

class TempDir {
  public:
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "assistd-doctor-XXXXXX").string();
        path_ = ::mkdtemp(pattern.data());
    }
    ~TempDir() { fs::remove_all(path_); }
    const fs::path& path() const { return path_; }

  private:
    fs::path path_;
};

// A self-signed P-256 certificate valid for `valid_days` from now, made by the openssl CLI as an
// operator would.
ServiceConfig self_signed(const TempDir& dir, int valid_days) {
    const fs::path cert = dir.path() / "cert.pem";
    const fs::path key = dir.path() / "key.pem";
    const std::string command =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=localhost"
        " -days " +
        std::to_string(valid_days) + " -keyout " + key.string() + " -out " + cert.string() +
        " 2>/dev/null";
    EXPECT_EQ(std::system(command.c_str()), 0);
    ServiceConfig service;
    service.tls_cert = cert.string();
    service.tls_key = key.string();
    return service;
}

// A socket listening on a loopback port the kernel picked.
int listen_on_loopback() {
    const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    EXPECT_EQ(::listen(listener, 1), 0);
    return listener;
}

uint16_t port_of(int socket) {
    sockaddr_in address{};
    socklen_t size = sizeof address;
    ::getsockname(socket, reinterpret_cast<sockaddr*>(&address), &size);
    return ntohs(address.sin_port);
}

// A loopback port nothing listens on at the moment of asking.
uint16_t free_port() {
    const int listener = listen_on_loopback();
    const uint16_t port = port_of(listener);
    ::close(listener);
    return port;
}

TEST(DoctorPort, BoundPortFailsWithFix) {
    const int listener = listen_on_loopback();
    ServiceConfig service;
    service.port = port_of(listener);

    const CheckResult in_use = check_port(service);
    EXPECT_EQ(in_use.verdict, Verdict::fail) << in_use.finding;
    EXPECT_NE(in_use.finding.find("in use"), std::string::npos);
    EXPECT_NE(in_use.fix.find("service.port"), std::string::npos);

    ::close(listener);
    EXPECT_EQ(check_port(service).verdict, Verdict::ok);
}

TEST(DoctorExposure, PlainHttpBeyondLoopbackWarns) {
    ServiceConfig service;
    EXPECT_EQ(check_exposure(service).verdict, Verdict::ok);
    service.host = "0.0.0.0";
    EXPECT_EQ(check_exposure(service).verdict, Verdict::warn);
    service.tls_cert = "cert.pem";
    EXPECT_EQ(check_exposure(service).verdict, Verdict::ok);
}

TEST(DoctorDataDir, DirectoryThatIsAFileFails) {
    TempDir dir;
    std::ofstream(dir.path() / "file") << "x";
    const CheckResult result = check_data_dir({.data_dir = (dir.path() / "file").string()});
    EXPECT_EQ(result.verdict, Verdict::fail) << result.finding;
    EXPECT_FALSE(result.fix.empty());
}

TEST(DoctorDataDir, ReadOnlyDirectoryFails) {
    if (::geteuid() == 0) GTEST_SKIP() << "root writes through permission bits";
    TempDir dir;
    fs::permissions(dir.path(), fs::perms::owner_read | fs::perms::owner_exec);
    EXPECT_EQ(check_data_dir({.data_dir = dir.path().string()}).verdict, Verdict::fail);
    fs::permissions(dir.path(), fs::perms::owner_all);
}

TEST(DoctorDataDir, WritableOrCreatableDirectoryPassesAndLeavesNothing) {
    TempDir dir;
    EXPECT_EQ(check_data_dir({.data_dir = dir.path().string()}).verdict, Verdict::ok);
    EXPECT_TRUE(fs::is_empty(dir.path()));
    const CheckResult later = check_data_dir({.data_dir = (dir.path() / "a" / "b").string()});
    EXPECT_EQ(later.verdict, Verdict::ok);
    EXPECT_NE(later.finding.find("will be created"), std::string::npos);
    EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(DoctorTls, CertificateExpiringTomorrowWarns) {
    TempDir dir;
    const CheckResult result = check_tls(self_signed(dir, 1));
    EXPECT_EQ(result.verdict, Verdict::warn) << result.finding;
    EXPECT_NE(result.finding.find("expires in "), std::string::npos) << result.finding;
}

TEST(DoctorTls, ExpiredCertificateFails) {
    TempDir dir;
    const ServiceConfig service = self_signed(dir, 1);
    const CheckResult result = check_tls(service, std::chrono::system_clock::now() + days(3));
    EXPECT_EQ(result.verdict, Verdict::fail) << result.finding;
    EXPECT_NE(result.finding.find("expired 2 days ago"), std::string::npos) << result.finding;
}

TEST(DoctorTls, CertificateForAYearPasses) {
    TempDir dir;
    const CheckResult result = check_tls(self_signed(dir, 365));
    EXPECT_EQ(result.verdict, Verdict::ok) << result.finding;
}

TEST(DoctorTls, KeyOfAnotherCertificateFails) {
    TempDir a;
    TempDir b;
    ServiceConfig service = self_signed(a, 365);
    service.tls_key = self_signed(b, 365).tls_key;
    EXPECT_EQ(check_tls(service).verdict, Verdict::fail);
}

TEST(DoctorModel, SharedModelIsValidAndTimed) {
    std::optional<int64_t> bytes;
    const fs::path path = testing::shared_path("models/llm/stories260K.gguf");
    const CheckResult result = check_model(path.string(), bytes);
    EXPECT_EQ(result.verdict, Verdict::ok) << result.finding;
    EXPECT_EQ(bytes, static_cast<int64_t>(fs::file_size(path)));
    EXPECT_NE(result.finding.find("MB/s"), std::string::npos) << result.finding;
}

TEST(DoctorModel, CorruptOrMissingFileFails) {
    TempDir dir;
    const fs::path corrupt = dir.path() / "corrupt.gguf";
    std::ofstream(corrupt) << "GGUF but not really a model file";
    std::optional<int64_t> bytes;
    EXPECT_EQ(check_model(corrupt.string(), bytes).verdict, Verdict::fail);
    EXPECT_EQ(check_model((dir.path() / "absent.gguf").string(), bytes).verdict, Verdict::fail);
}

TEST(DoctorMemory, ModelAndKvBeyondAvailableFails) {
    ModelConfig model;
    model.kv_cache_bytes = 3ll << 30;
    EXPECT_EQ(check_memory(model, 2ll << 30, 4ll << 30).verdict, Verdict::fail);
    EXPECT_EQ(check_memory(model, 512ll << 20, 4ll << 30).verdict, Verdict::ok);
    model.kv_cache_bytes = 0;
    EXPECT_EQ(check_memory(model, 3ll << 30, 4ll << 30).verdict, Verdict::warn);
}

TEST(DoctorRedis, UnreachableServerWarns) {
    CacheConfig cache;
    cache.backend = "redis";
    cache.redis_url = "redis://127.0.0.1:1/0";  // port 1: nothing listens there
    const CheckResult result = check_redis(cache);
    EXPECT_EQ(result.verdict, Verdict::warn) << result.finding;
    EXPECT_NE(result.finding.find("unreachable"), std::string::npos);
    cache.backend = "memory";
    EXPECT_EQ(check_redis(cache).verdict, Verdict::ok);
}

TEST(DoctorRedis, RunningServerAnswers) {
    const std::string port = std::to_string(free_port());
    const pid_t redis = ::fork();
    if (redis == 0) {
        ::execlp("redis-server", "redis-server", "--port", port.c_str(), "--bind", "127.0.0.1",
                 "--save", "", "--appendonly", "no", static_cast<char*>(nullptr));
        ::_exit(127);
    }
    CacheConfig cache;
    cache.backend = "redis";
    cache.redis_url = "redis://127.0.0.1:" + port + "/0";
    CheckResult result = check_redis(cache);
    for (int tries = 0; tries < 50 && result.verdict != Verdict::ok; ++tries) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));  // redis-server starting
        result = check_redis(cache);
    }
    ::kill(redis, SIGTERM);
    ::waitpid(redis, nullptr, 0);
    EXPECT_EQ(result.verdict, Verdict::ok) << result.finding;
    EXPECT_NE(result.finding.find("answers PING"), std::string::npos) << result.finding;
}

TEST(DoctorFormat, WarnAndFailCarryAFixLine) {
    EXPECT_EQ(format(CheckResult::ok("cpu", "AVX2 kernels")), "ok    cpu: AVX2 kernels\n");
    EXPECT_EQ(format(CheckResult::fail("port", "in use", "stop it")),
              "fail  port: in use\n      fix: stop it\n");
}

}  // namespace
}  // namespace assistd::ops::doctor
