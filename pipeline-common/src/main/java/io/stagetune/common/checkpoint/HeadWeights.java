package io.stagetune.common.checkpoint;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The linear head's weights, stored as {@code head.safetensors}: tensor {@code weight} [classes, features] and
 * {@code bias} [classes] (float32, the layout of {@code torch.nn.Linear}), metadata {@code labels} = the ordered
 * label list as a JSON array, so row i of the weight belongs to label i.
 */
public record HeadWeights(List<String> labels, int features, float[] weight, float[] bias) {

    public static final String FILE_NAME = "head.safetensors";
    private static final ObjectMapper JSON = new ObjectMapper();

    public HeadWeights {
        labels = List.copyOf(labels);
        if (bias.length != labels.size() || weight.length != labels.size() * features) {
            throw new IllegalArgumentException("head of " + labels.size() + " classes x " + features
                    + " features cannot hold " + weight.length + " weights and " + bias.length + " biases");
        }
    }

    public int classes() {
        return labels.size();
    }

    public void write(Path file) throws IOException {
        Map<String, Safetensors.Tensor> tensors = new LinkedHashMap<>();
        tensors.put("weight", new Safetensors.Tensor(new long[] {classes(), features}, weight));
        tensors.put("bias", new Safetensors.Tensor(new long[] {classes()}, bias));
        Safetensors.write(file, tensors, Map.of("labels", JSON.writeValueAsString(labels)));
    }

    public static HeadWeights read(Path file) throws IOException {
        Safetensors.Contents contents = Safetensors.read(file);
        Safetensors.Tensor weight = contents.tensors().get("weight");
        Safetensors.Tensor bias = contents.tensors().get("bias");
        String labels = contents.metadata().get("labels");
        if (weight == null || bias == null || labels == null || weight.shape().length != 2) {
            throw new IOException(file + " is not a head: needs weight [classes, features], bias and labels");
        }
        return new HeadWeights(JSON.readValue(labels, new TypeReference<List<String>>() { }),
                (int) weight.shape()[1], weight.values(), bias.values());
    }
}
