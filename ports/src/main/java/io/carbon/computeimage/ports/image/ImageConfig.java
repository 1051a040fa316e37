package io.carbon.computeimage.ports.image;

import io.carbon.computeimage.ports.model.Digest;
import io.carbon.computeimage.ports.model.Platform;
import java.util.List;
import java.util.Objects;

/**
 * The parts of an image configuration the pipeline checks and {@code info} shows.
 *
 * @param platform os, architecture and variant the config declares
 * @param diffIds {@code rootfs.diff_ids}: the digest of each uncompressed layer, in order
 * @param env {@code config.Env}, may be empty
 * @param entrypoint {@code config.Entrypoint}, may be empty
 * @param cmd {@code config.Cmd}, may be empty
 * @param workingDir {@code config.WorkingDir}, may be empty
 * @param user {@code config.User}, may be empty
 * @param created the creation time as the config writes it, may be empty
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/config.md">OCI image
 *     configuration</a>
 * @since 0.1
 */
public record ImageConfig(
    Platform platform,
    List<Digest> diffIds,
    List<String> env,
    List<String> entrypoint,
    List<String> cmd,
    String workingDir,
    String user,
    String created) {
  /** Validates and copies the components. */
  public ImageConfig {
    Objects.requireNonNull(platform, "platform is null");
    diffIds = List.copyOf(diffIds);
    env = List.copyOf(env);
    entrypoint = List.copyOf(entrypoint);
    cmd = List.copyOf(cmd);
    Objects.requireNonNull(workingDir, "workingDir is null");
    Objects.requireNonNull(user, "user is null");
    Objects.requireNonNull(created, "created is null");
  }
}
