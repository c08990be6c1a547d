Console.Error.WriteLine("smart-detect: not implemented yet");
return 2;
