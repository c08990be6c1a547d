namespace Smart.Detection;
